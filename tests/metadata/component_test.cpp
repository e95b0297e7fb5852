// IVssComponent / Ex / Ex2: who may set what in which handler (vss-facts
// 5.2), the component failure of C-2.7, getters' defaults and NULL rules, and
// the identity rules of the object.
#include "support.h"

#include "core/state_machine.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

using namespace metadata_test;

namespace {

FILETIME filetime(DWORD low, DWORD high)
{
    FILETIME value{};
    value.dwLowDateTime = low;
    value.dwHighDateTime = high;
    return value;
}

// Nothing a setter can write has been written.
bool untouched(const SelectedComponent &c)
{
    return !c.backup_metadata_set && c.backup_metadata.empty() && c.backup_stamp.empty() &&
           c.prepare_for_backup_failure_msg.empty() && c.post_snapshot_failure_msg.empty() &&
           c.pre_restore_failure_msg.empty() && c.post_restore_failure_msg.empty() &&
           c.partial_files.empty() && c.differenced_files.empty() && !c.failure.set &&
           c.failure.hr == S_OK && c.failure.hr_application == S_OK && c.failure.message.empty() &&
           !c.restore_metadata_set && c.restore_metadata.empty() &&
           c.restore_target == VSS_RT_UNDEFINED && c.directed_targets.empty();
}

const std::vector<Moment> kBackupWrite = {
    {Event::PrepareBackup, false}, {Event::PrepareSnapshot, false}, {Event::Freeze, false},
    {Event::Thaw, false},          {Event::PostSnapshot, false},
};
const std::vector<Moment> kPrepareBackup = {{Event::PrepareBackup, false}};
const std::vector<Moment> kPostSnapshot = {{Event::PostSnapshot, false}};
const std::vector<Moment> kRestore = {{Event::PreRestore, true}, {Event::PostRestore, true}};
const std::vector<Moment> kPreRestore = {{Event::PreRestore, true}};
const std::vector<Moment> kFailure = {
    {Event::PrepareBackup, false}, {Event::PostSnapshot, false},
    {Event::PreRestore, true},     {Event::PostRestore, true},
};

struct Setter {
    const char *name;
    HRESULT (*call)(IVssComponentEx2 *);
    const std::vector<Moment> *allowed;
};

const Setter kSetters[] = {
    {"SetBackupMetadata", [](IVssComponentEx2 *c) { return c->SetBackupMetadata(W(u"meta")); }, &kBackupWrite},
    {"SetBackupStamp", [](IVssComponentEx2 *c) { return c->SetBackupStamp(W(u"stamp-1")); }, &kBackupWrite},
    {"AddPartialFile",
     [](IVssComponentEx2 *c) { return c->AddPartialFile(W(u"C:\\db"), W(u"main.mdf"), W(u"0:4096"), W(u"m")); },
     &kBackupWrite},
    {"AddDifferencedFilesByLastModifyTime",
     [](IVssComponentEx2 *c) {
         return c->AddDifferencedFilesByLastModifyTime(W(u"C:\\logs"), W(u"*.log"), TRUE, filetime(7, 9));
     },
     &kBackupWrite},
    {"AddDifferencedFilesByLastModifyLSN",
     [](IVssComponentEx2 *c) {
         return c->AddDifferencedFilesByLastModifyLSN(W(u"C:\\logs"), W(u"*.log"), FALSE, nullptr);
     },
     &kBackupWrite},
    {"SetPrepareForBackupFailureMsg",
     [](IVssComponentEx2 *c) { return c->SetPrepareForBackupFailureMsg(W(u"disk busy")); }, &kPrepareBackup},
    {"SetPostSnapshotFailureMsg",
     [](IVssComponentEx2 *c) { return c->SetPostSnapshotFailureMsg(W(u"log gap")); }, &kPostSnapshot},
    {"SetPreRestoreFailureMsg", [](IVssComponentEx2 *c) { return c->SetPreRestoreFailureMsg(W(u"locked")); },
     &kRestore},
    {"SetPostRestoreFailureMsg", [](IVssComponentEx2 *c) { return c->SetPostRestoreFailureMsg(W(u"replay")); },
     &kRestore},
    {"AddDirectedTarget",
     [](IVssComponentEx2 *c) {
         return c->AddDirectedTarget(W(u"C:\\db"), W(u"a.mdf"), W(u"0:10"), W(u"D:\\db"), W(u"b.mdf"), W(u"0:10"));
     },
     &kPreRestore},
    {"SetRestoreMetadata", [](IVssComponentEx2 *c) { return c->SetRestoreMetadata(W(u"rm")); }, &kPreRestore},
    {"SetRestoreTarget", [](IVssComponentEx2 *c) { return c->SetRestoreTarget(VSS_RT_ALTERNATE); }, &kPreRestore},
    {"SetFailure",
     [](IVssComponentEx2 *c) {
         return c->SetFailure(VSS_E_WRITERERROR_RETRYABLE, E_FAIL, W(u"component failed"), 0);
     },
     &kFailure},
};

bool contains(const std::vector<Moment> &moments, Moment moment)
{
    return std::any_of(moments.begin(), moments.end(), [&](const Moment &m) {
        return m.event == moment.event && m.restore == moment.restore;
    });
}

struct Failure {
    HRESULT hr = 0x7777;
    HRESULT hr_application = 0x7777;
    std::u16string message;
    bool message_null = false;
    DWORD reserved = 0x7777;
};

Failure read_failure(IVssComponentEx2 *c)
{
    Failure out;
    BSTR message = reinterpret_cast<BSTR>(&out); // garbage the callee must overwrite
    REQUIRE(c->GetFailure(&out.hr, &out.hr_application, &message, &out.reserved) == S_OK);
    out.message_null = message == nullptr;
    out.message = text_of(message);
    SysFreeString(message);
    return out;
}

} // namespace

TEST_SUITE("metadata") {

TEST_CASE("vss-facts 5.2 each setter works only for the writer, only in the handlers its SDK page names")
{
    for (const Setter &setter : kSetters) {
        for (const Moment &moment : all_moments()) {
            for (Side side : {Side::Writer, Side::Requester}) {
                CAPTURE(setter.name);
                CAPTURE(vssapi::core::event_name(moment.event));
                CAPTURE(moment.restore);
                CAPTURE(side == Side::Writer ? "writer" : "requester");
                auto store = make_store();
                Ref<IVssComponentEx2> component(open_component(store, {side, moment.event, moment.restore}));
                const bool allowed = side == Side::Writer && contains(*setter.allowed, moment);
                CHECK(setter.call(component.get()) == (allowed ? S_OK : VSS_E_BAD_STATE));
                CHECK(untouched(store->components[0]) == !allowed);
                CHECK(untouched(store->components[1])); // only its own component
            }
        }
    }
}

TEST_CASE("C-6.2 setters reject NULL required strings and malformed values, and record nothing")
{
    struct Case {
        const char *name;
        Moment moment;
        HRESULT (*call)(IVssComponentEx2 *);
    };
    const Case cases[] = {
        {"SetBackupMetadata(NULL)", {Event::PrepareBackup, false}, [](IVssComponentEx2 *c) { return c->SetBackupMetadata(nullptr); }},
        {"SetBackupStamp(NULL)", {Event::PostSnapshot, false}, [](IVssComponentEx2 *c) { return c->SetBackupStamp(nullptr); }},
        {"AddPartialFile path NULL", {Event::PrepareBackup, false},
         [](IVssComponentEx2 *c) { return c->AddPartialFile(nullptr, W(u"f"), W(u"0:1"), nullptr); }},
        {"AddPartialFile name NULL", {Event::PrepareBackup, false},
         [](IVssComponentEx2 *c) { return c->AddPartialFile(W(u"C:\\"), nullptr, W(u"0:1"), nullptr); }},
        {"AddPartialFile ranges NULL", {Event::PrepareBackup, false},
         [](IVssComponentEx2 *c) { return c->AddPartialFile(W(u"C:\\"), W(u"f"), nullptr, nullptr); }},
        {"AddPartialFile wildcard name", {Event::PrepareBackup, false},
         [](IVssComponentEx2 *c) { return c->AddPartialFile(W(u"C:\\"), W(u"f*.db"), W(u"0:1"), nullptr); }},
        {"AddDifferencedFilesByLastModifyTime path NULL", {Event::PostSnapshot, false},
         [](IVssComponentEx2 *c) { return c->AddDifferencedFilesByLastModifyTime(nullptr, W(u"*"), TRUE, filetime(1, 1)); }},
        {"AddDifferencedFilesByLastModifyTime filespec NULL", {Event::PostSnapshot, false},
         [](IVssComponentEx2 *c) { return c->AddDifferencedFilesByLastModifyTime(W(u"C:\\"), nullptr, TRUE, filetime(1, 1)); }},
        {"AddDifferencedFilesByLastModifyTime wildcard path", {Event::PostSnapshot, false},
         [](IVssComponentEx2 *c) { return c->AddDifferencedFilesByLastModifyTime(W(u"C:\\l?gs"), W(u"*"), TRUE, filetime(1, 1)); }},
        {"AddDifferencedFilesByLastModifyTime directory in filespec", {Event::PostSnapshot, false},
         [](IVssComponentEx2 *c) { return c->AddDifferencedFilesByLastModifyTime(W(u"C:\\"), W(u"sub\\*.log"), TRUE, filetime(1, 1)); }},
        {"AddDifferencedFilesByLastModifyLSN path NULL", {Event::PostSnapshot, false},
         [](IVssComponentEx2 *c) { return c->AddDifferencedFilesByLastModifyLSN(nullptr, W(u"*"), TRUE, nullptr); }},
        {"AddDifferencedFilesByLastModifyLSN filespec NULL", {Event::PostSnapshot, false},
         [](IVssComponentEx2 *c) { return c->AddDifferencedFilesByLastModifyLSN(W(u"C:\\"), nullptr, TRUE, nullptr); }},
        {"SetPrepareForBackupFailureMsg(NULL)", {Event::PrepareBackup, false},
         [](IVssComponentEx2 *c) { return c->SetPrepareForBackupFailureMsg(nullptr); }},
        {"SetPostSnapshotFailureMsg(NULL)", {Event::PostSnapshot, false},
         [](IVssComponentEx2 *c) { return c->SetPostSnapshotFailureMsg(nullptr); }},
        {"SetPreRestoreFailureMsg(NULL)", {Event::PreRestore, true},
         [](IVssComponentEx2 *c) { return c->SetPreRestoreFailureMsg(nullptr); }},
        {"SetPostRestoreFailureMsg(NULL)", {Event::PostRestore, true},
         [](IVssComponentEx2 *c) { return c->SetPostRestoreFailureMsg(nullptr); }},
        {"AddDirectedTarget source path NULL", {Event::PreRestore, true},
         [](IVssComponentEx2 *c) { return c->AddDirectedTarget(nullptr, W(u"a"), nullptr, W(u"D:\\"), W(u"b"), nullptr); }},
        {"AddDirectedTarget source name NULL", {Event::PreRestore, true},
         [](IVssComponentEx2 *c) { return c->AddDirectedTarget(W(u"C:\\"), nullptr, nullptr, W(u"D:\\"), W(u"b"), nullptr); }},
        {"AddDirectedTarget destination path NULL", {Event::PreRestore, true},
         [](IVssComponentEx2 *c) { return c->AddDirectedTarget(W(u"C:\\"), W(u"a"), nullptr, nullptr, W(u"b"), nullptr); }},
        {"AddDirectedTarget destination name NULL", {Event::PreRestore, true},
         [](IVssComponentEx2 *c) { return c->AddDirectedTarget(W(u"C:\\"), W(u"a"), nullptr, W(u"D:\\"), nullptr, nullptr); }},
        {"AddDirectedTarget wildcard name", {Event::PreRestore, true},
         [](IVssComponentEx2 *c) { return c->AddDirectedTarget(W(u"C:\\"), W(u"*.db"), nullptr, W(u"D:\\"), W(u"b"), nullptr); }},
        {"SetRestoreMetadata(NULL)", {Event::PreRestore, true}, [](IVssComponentEx2 *c) { return c->SetRestoreMetadata(nullptr); }},
        {"SetRestoreTarget(UNDEFINED)", {Event::PreRestore, true},
         [](IVssComponentEx2 *c) { return c->SetRestoreTarget(VSS_RT_UNDEFINED); }},
        {"SetRestoreTarget(99)", {Event::PreRestore, true},
         [](IVssComponentEx2 *c) { return c->SetRestoreTarget(static_cast<VSS_RESTORE_TARGET>(99)); }},
    };
    for (const Case &each : cases) {
        CAPTURE(each.name);
        auto store = make_store();
        Ref<IVssComponentEx2> component(open_component(store, writer_in(each.moment.event, each.moment.restore)));
        CHECK(each.call(component.get()) == E_INVALIDARG);
        CHECK(untouched(store->components[0]));
    }
}

TEST_CASE("SetBackupMetadata and SetRestoreMetadata take one value: a second call is VSS_E_OBJECT_ALREADY_EXISTS")
{
    auto store = make_store();
    {
        Ref<IVssComponentEx2> prepare(open_component(store, writer_in(Event::PrepareBackup)));
        CHECK(prepare->SetBackupMetadata(W(u"first")) == S_OK);
        CHECK(prepare->SetBackupMetadata(W(u"second")) == VSS_E_OBJECT_ALREADY_EXISTS);
        Ref<IVssComponentEx2> post(open_component(store, writer_in(Event::PostSnapshot)));
        CHECK(post->SetBackupMetadata(W(u"third")) == VSS_E_OBJECT_ALREADY_EXISTS);
        BSTR data = nullptr;
        CHECK(post->GetBackupMetadata(&data) == S_OK);
        CHECK(text_of(data) == u"first");
        SysFreeString(data);
    }
    {
        Ref<IVssComponentEx2> pre(open_component(store, writer_in(Event::PreRestore, true)));
        CHECK(pre->SetRestoreMetadata(W(u"")) == S_OK); // empty is a value
        CHECK(pre->SetRestoreMetadata(W(u"again")) == VSS_E_OBJECT_ALREADY_EXISTS);
        BSTR data = nullptr;
        CHECK(pre->GetRestoreMetadata(&data) == S_OK);
        CHECK(data != nullptr);
        CHECK(text_of(data).empty());
        SysFreeString(data);
    }
}

TEST_CASE("the requester reads back what the writer wrote during a backup")
{
    auto store = make_store();
    {
        Ref<IVssComponentEx2> writer(open_component(store, writer_in(Event::PrepareBackup)));
        CHECK(writer->SetBackupMetadata(W(u"lsn=42")) == S_OK);
        CHECK(writer->SetPrepareForBackupFailureMsg(W(u"slow disk")) == S_OK);
        CHECK(writer->AddPartialFile(W(u"C:\\db"), W(u"main.mdf"), W(u"0:4096,8192:16"), nullptr) == S_OK);
    }
    {
        Ref<IVssComponentEx2> writer(open_component(store, writer_in(Event::PostSnapshot)));
        CHECK(writer->SetBackupStamp(W(u"stamp-1")) == S_OK);
        CHECK(writer->SetBackupStamp(W(u"stamp-2")) == S_OK); // no rule against a new stamp
        CHECK(writer->SetPostSnapshotFailureMsg(W(u"log gap")) == S_OK);
        CHECK(writer->AddDifferencedFilesByLastModifyTime(W(u"C:\\logs"), W(u"*.log"), TRUE, filetime(11, 22)) == S_OK);
        BSTR lsn = SysAllocString(W(u"00000021:0000012a:0001"));
        CHECK(writer->AddDifferencedFilesByLastModifyLSN(W(u"C:\\tx"), W(u"*.trn"), FALSE, lsn) == S_OK);
        SysFreeString(lsn);
    }

    Ref<IVssComponentEx2> reader(open_component(store, requester()));
    BSTR text = nullptr;
    CHECK(reader->GetBackupMetadata(&text) == S_OK);
    CHECK(text_of(text) == u"lsn=42");
    SysFreeString(text);
    CHECK(reader->GetBackupStamp(&text) == S_OK);
    CHECK(text_of(text) == u"stamp-2");
    SysFreeString(text);
    CHECK(reader->GetPrepareForBackupFailureMsg(&text) == S_OK);
    CHECK(text_of(text) == u"slow disk");
    SysFreeString(text);
    CHECK(reader->GetPostSnapshotFailureMsg(&text) == S_OK);
    CHECK(text_of(text) == u"log gap");
    SysFreeString(text);

    UINT count = 99;
    CHECK(reader->GetPartialFileCount(&count) == S_OK);
    CHECK(count == 1);
    BSTR path = nullptr, name = nullptr, ranges = nullptr, metadata = nullptr;
    CHECK(reader->GetPartialFile(0, &path, &name, &ranges, &metadata) == S_OK);
    CHECK(text_of(path) == u"C:\\db");
    CHECK(text_of(name) == u"main.mdf");
    CHECK(text_of(ranges) == u"0:4096,8192:16");
    CHECK(metadata != nullptr); // optional metadata reads as a zero-length string
    CHECK(SysStringLen(metadata) == 0);
    for (BSTR each : {path, name, ranges, metadata}) {
        SysFreeString(each);
    }

    CHECK(reader->GetDifferencedFilesCount(&count) == S_OK);
    CHECK(count == 2);
    BSTR filespec = nullptr, lsn = nullptr;
    BOOL recursive = FALSE;
    FILETIME modified{};
    CHECK(reader->GetDifferencedFile(0, &path, &filespec, &recursive, &lsn, &modified) == S_OK);
    CHECK(text_of(path) == u"C:\\logs");
    CHECK(text_of(filespec) == u"*.log");
    CHECK(recursive == TRUE);
    CHECK(lsn == nullptr);
    CHECK(modified.dwLowDateTime == 11);
    CHECK(modified.dwHighDateTime == 22);
    SysFreeString(path);
    SysFreeString(filespec);
    CHECK(reader->GetDifferencedFile(1, &path, &filespec, &recursive, &lsn, &modified) == S_OK);
    CHECK(text_of(filespec) == u"*.trn");
    CHECK(recursive == FALSE);
    CHECK(text_of(lsn) == u"00000021:0000012a:0001");
    for (BSTR each : {path, filespec, lsn}) {
        SysFreeString(each);
    }
}

TEST_CASE("the requester reads back what the writer wrote during a restore")
{
    auto store = make_store();
    {
        Ref<IVssComponentEx2> writer(open_component(store, writer_in(Event::PreRestore, true)));
        CHECK(writer->SetRestoreMetadata(W(u"restore-meta")) == S_OK);
        CHECK(writer->SetRestoreTarget(VSS_RT_DIRECTED) == S_OK);
        CHECK(writer->AddDirectedTarget(W(u"C:\\db"), W(u"a.mdf"), nullptr, W(u"D:\\db"), W(u"b.mdf"), W(u"0:10")) == S_OK);
        CHECK(writer->SetPreRestoreFailureMsg(W(u"locked")) == S_OK);
    }
    {
        Ref<IVssComponentEx2> writer(open_component(store, writer_in(Event::PostRestore, true)));
        CHECK(writer->SetPostRestoreFailureMsg(W(u"replay failed")) == S_OK);
    }
    Ref<IVssComponentEx2> reader(open_component(store, requester(true)));
    BSTR text = nullptr;
    CHECK(reader->GetRestoreMetadata(&text) == S_OK);
    CHECK(text_of(text) == u"restore-meta");
    SysFreeString(text);
    CHECK(reader->GetPreRestoreFailureMsg(&text) == S_OK);
    CHECK(text_of(text) == u"locked");
    SysFreeString(text);
    CHECK(reader->GetPostRestoreFailureMsg(&text) == S_OK);
    CHECK(text_of(text) == u"replay failed");
    SysFreeString(text);
    VSS_RESTORE_TARGET target = VSS_RT_UNDEFINED;
    CHECK(reader->GetRestoreTarget(&target) == S_OK);
    CHECK(target == VSS_RT_DIRECTED);
    UINT count = 0;
    CHECK(reader->GetDirectedTargetCount(&count) == S_OK);
    CHECK(count == 1);
    BSTR out[6] = {};
    CHECK(reader->GetDirectedTarget(0, &out[0], &out[1], &out[2], &out[3], &out[4], &out[5]) == S_OK);
    CHECK(text_of(out[0]) == u"C:\\db");
    CHECK(text_of(out[1]) == u"a.mdf");
    CHECK(text_of(out[2]).empty()); // a NULL range list is the whole file
    CHECK(text_of(out[3]) == u"D:\\db");
    CHECK(text_of(out[4]) == u"b.mdf");
    CHECK(text_of(out[5]) == u"0:10");
    for (BSTR each : out) {
        SysFreeString(each);
    }
}

TEST_CASE("getters of a fresh component: S_FALSE and a NULL BSTR for every unset string, backup-session defaults")
{
    auto store = make_store();
    for (ComponentAccess access : {writer_in(Event::PrepareBackup), requester()}) {
        Ref<IVssComponentEx2> c(open_component(store, access));
        struct StringGetter {
            const char *name;
            HRESULT (*call)(IVssComponentEx2 *, BSTR *);
        };
        const StringGetter unset[] = {
            {"GetBackupMetadata", [](IVssComponentEx2 *x, BSTR *b) { return x->GetBackupMetadata(b); }},
            {"GetBackupStamp", [](IVssComponentEx2 *x, BSTR *b) { return x->GetBackupStamp(b); }},
            {"GetPreviousBackupStamp", [](IVssComponentEx2 *x, BSTR *b) { return x->GetPreviousBackupStamp(b); }},
            {"GetBackupOptions", [](IVssComponentEx2 *x, BSTR *b) { return x->GetBackupOptions(b); }},
            {"GetRestoreOptions", [](IVssComponentEx2 *x, BSTR *b) { return x->GetRestoreOptions(b); }},
            {"GetRestoreMetadata", [](IVssComponentEx2 *x, BSTR *b) { return x->GetRestoreMetadata(b); }},
            {"GetPreRestoreFailureMsg", [](IVssComponentEx2 *x, BSTR *b) { return x->GetPreRestoreFailureMsg(b); }},
            {"GetPostRestoreFailureMsg", [](IVssComponentEx2 *x, BSTR *b) { return x->GetPostRestoreFailureMsg(b); }},
            {"GetPrepareForBackupFailureMsg", [](IVssComponentEx2 *x, BSTR *b) { return x->GetPrepareForBackupFailureMsg(b); }},
            {"GetPostSnapshotFailureMsg", [](IVssComponentEx2 *x, BSTR *b) { return x->GetPostSnapshotFailureMsg(b); }},
        };
        for (const StringGetter &getter : unset) {
            CAPTURE(getter.name);
            BSTR value = SysAllocString(W(u"garbage")); // must be replaced, not freed
            BSTR before = value;
            CHECK(getter.call(c.get(), &value) == S_FALSE);
            CHECK(value == nullptr);
            SysFreeString(before);
        }

        BSTR text = nullptr;
        CHECK(c->GetLogicalPath(&text) == S_OK);
        CHECK(text_of(text) == u"Sql\\Main");
        SysFreeString(text);
        CHECK(c->GetComponentName(&text) == S_OK);
        CHECK(text_of(text) == u"Accounts");
        SysFreeString(text);
        CHECK(c->GetRestoreName(&text) == S_OK); // no S_FALSE on its SDK page
        CHECK(text == nullptr);

        VSS_COMPONENT_TYPE type = VSS_CT_UNDEFINED;
        CHECK(c->GetComponentType(&type) == S_OK);
        CHECK(type == VSS_CT_DATABASE);
        bool flag = true;
        CHECK(c->GetBackupSucceeded(&flag) == S_OK);
        CHECK_FALSE(flag);
        flag = true;
        CHECK(c->IsSelectedForRestore(&flag) == S_OK);
        CHECK_FALSE(flag);
        flag = true;
        CHECK(c->GetAdditionalRestores(&flag) == S_OK);
        CHECK_FALSE(flag);
        flag = true;
        CHECK(c->GetAuthoritativeRestore(&flag) == S_OK);
        CHECK_FALSE(flag);

        using CountGetter = HRESULT (*)(IVssComponentEx2 *, UINT *);
        for (CountGetter count_of : {
                 CountGetter([](IVssComponentEx2 *x, UINT *n) { return x->GetAlternateLocationMappingCount(n); }),
                 CountGetter([](IVssComponentEx2 *x, UINT *n) { return x->GetPartialFileCount(n); }),
                 CountGetter([](IVssComponentEx2 *x, UINT *n) { return x->GetNewTargetCount(n); }),
                 CountGetter([](IVssComponentEx2 *x, UINT *n) { return x->GetDirectedTargetCount(n); }),
                 CountGetter([](IVssComponentEx2 *x, UINT *n) { return x->GetRestoreSubcomponentCount(n); }),
                 CountGetter([](IVssComponentEx2 *x, UINT *n) { return x->GetDifferencedFilesCount(n); }),
             }) {
            UINT n = 99;
            CHECK(count_of(c.get(), &n) == S_OK);
            CHECK(n == 0);
        }

        VSS_RESTORE_TARGET target = VSS_RT_ORIGINAL;
        CHECK(c->GetRestoreTarget(&target) == S_OK);
        CHECK(target == VSS_RT_UNDEFINED);
        VSS_ROLLFORWARD_TYPE roll = VSS_RF_ALL;
        text = SysAllocString(W(u"garbage"));
        BSTR before = text;
        CHECK(c->GetRollForward(&roll, &text) == S_OK);
        CHECK(roll == VSS_RF_UNDEFINED);
        CHECK(text == nullptr);
        SysFreeString(before);
        VSS_FILE_RESTORE_STATUS status = VSS_RS_ALL;
        CHECK(c->GetFileRestoreStatus(&status) == VSS_E_BAD_STATE); // SDK page: only during a restore
    }
    Ref<IVssComponentEx2> second(open_component(store, requester(), 1));
    BSTR text = SysAllocString(W(u"garbage"));
    BSTR before = text;
    CHECK(second->GetLogicalPath(&text) == S_FALSE); // no logical path
    CHECK(text == nullptr);
    SysFreeString(before);

    Ref<IVssComponentEx2> restoring(open_component(store, requester(true)));
    VSS_FILE_RESTORE_STATUS status = VSS_RS_ALL;
    CHECK(restoring->GetFileRestoreStatus(&status) == S_OK);
    CHECK(status == VSS_RS_UNDEFINED);
}

TEST_CASE("C-6.2 getters: a NULL out-pointer is E_INVALIDARG, an index past the end VSS_E_OBJECT_NOT_FOUND")
{
    auto store = make_store();
    Ref<IVssComponentEx2> c(open_component(store, requester()));
    BSTR b = nullptr;
    bool flag = false;
    BOOL recursive = FALSE;
    FILETIME ft{};
    HRESULT h = S_OK;
    DWORD d = 0;
    VSS_ROLLFORWARD_TYPE roll = VSS_RF_UNDEFINED;
    IVssWMFiledesc *desc = nullptr;
    struct Case {
        const char *name;
        HRESULT result;
    };
    const Case nulls[] = {
        {"GetLogicalPath", c->GetLogicalPath(nullptr)},
        {"GetComponentType", c->GetComponentType(nullptr)},
        {"GetComponentName", c->GetComponentName(nullptr)},
        {"GetBackupSucceeded", c->GetBackupSucceeded(nullptr)},
        {"GetAlternateLocationMappingCount", c->GetAlternateLocationMappingCount(nullptr)},
        {"GetAlternateLocationMapping", c->GetAlternateLocationMapping(0, nullptr)},
        {"GetBackupMetadata", c->GetBackupMetadata(nullptr)},
        {"GetPartialFileCount", c->GetPartialFileCount(nullptr)},
        {"GetPartialFile path", c->GetPartialFile(0, nullptr, &b, &b, &b)},
        {"GetPartialFile metadata", c->GetPartialFile(0, &b, &b, &b, nullptr)},
        {"IsSelectedForRestore", c->IsSelectedForRestore(nullptr)},
        {"GetAdditionalRestores", c->GetAdditionalRestores(nullptr)},
        {"GetNewTargetCount", c->GetNewTargetCount(nullptr)},
        {"GetNewTarget", c->GetNewTarget(0, nullptr)},
        {"GetDirectedTargetCount", c->GetDirectedTargetCount(nullptr)},
        {"GetDirectedTarget first", c->GetDirectedTarget(0, nullptr, &b, &b, &b, &b, &b)},
        {"GetDirectedTarget last", c->GetDirectedTarget(0, &b, &b, &b, &b, &b, nullptr)},
        {"GetRestoreMetadata", c->GetRestoreMetadata(nullptr)},
        {"GetRestoreTarget", c->GetRestoreTarget(nullptr)},
        {"GetPreRestoreFailureMsg", c->GetPreRestoreFailureMsg(nullptr)},
        {"GetPostRestoreFailureMsg", c->GetPostRestoreFailureMsg(nullptr)},
        {"GetBackupStamp", c->GetBackupStamp(nullptr)},
        {"GetPreviousBackupStamp", c->GetPreviousBackupStamp(nullptr)},
        {"GetBackupOptions", c->GetBackupOptions(nullptr)},
        {"GetRestoreOptions", c->GetRestoreOptions(nullptr)},
        {"GetRestoreSubcomponentCount", c->GetRestoreSubcomponentCount(nullptr)},
        {"GetRestoreSubcomponent", c->GetRestoreSubcomponent(0, &b, &b, nullptr)},
        {"GetFileRestoreStatus", c->GetFileRestoreStatus(nullptr)},
        {"GetDifferencedFilesCount", c->GetDifferencedFilesCount(nullptr)},
        {"GetDifferencedFile recursive", c->GetDifferencedFile(0, &b, &b, nullptr, &b, &ft)},
        {"GetDifferencedFile time", c->GetDifferencedFile(0, &b, &b, &recursive, &b, nullptr)},
        {"GetPrepareForBackupFailureMsg", c->GetPrepareForBackupFailureMsg(nullptr)},
        {"GetPostSnapshotFailureMsg", c->GetPostSnapshotFailureMsg(nullptr)},
        {"GetAuthoritativeRestore", c->GetAuthoritativeRestore(nullptr)},
        {"GetRollForward type", c->GetRollForward(nullptr, &b)},
        {"GetRollForward point", c->GetRollForward(&roll, nullptr)},
        {"GetRestoreName", c->GetRestoreName(nullptr)},
        {"GetFailure hr", c->GetFailure(nullptr, &h, &b, &d)},
        {"GetFailure hrApplication", c->GetFailure(&h, nullptr, &b, &d)},
        {"GetFailure message", c->GetFailure(&h, &h, nullptr, &d)},
        {"GetFailure reserved", c->GetFailure(&h, &h, &b, nullptr)},
    };
    for (const Case &each : nulls) {
        CAPTURE(each.name);
        CHECK(each.result == E_INVALIDARG);
    }
    CHECK(b == nullptr);

    const Case past_end[] = {
        {"GetAlternateLocationMapping", c->GetAlternateLocationMapping(0, &desc)},
        {"GetPartialFile", c->GetPartialFile(0, &b, &b, &b, &b)},
        {"GetNewTarget", c->GetNewTarget(0, &desc)},
        {"GetDirectedTarget", c->GetDirectedTarget(0, &b, &b, &b, &b, &b, &b)},
        {"GetRestoreSubcomponent", c->GetRestoreSubcomponent(0, &b, &b, &flag)},
        {"GetDifferencedFile", c->GetDifferencedFile(3, &b, &b, &recursive, &b, &ft)},
    };
    for (const Case &each : past_end) {
        CAPTURE(each.name);
        CHECK(each.result == VSS_E_OBJECT_NOT_FOUND);
    }
    CHECK(b == nullptr);
    CHECK(desc == nullptr);
}

TEST_CASE("C-2.7 GetFailure on a component nobody failed: S_OK, S_OK, NULL message, reserved 0")
{
    auto store = make_store();
    for (ComponentAccess access : {writer_in(Event::PostSnapshot), requester()}) {
        Ref<IVssComponentEx2> c(open_component(store, access));
        const Failure failure = read_failure(c.get());
        CHECK(failure.hr == S_OK);
        CHECK(failure.hr_application == S_OK);
        CHECK(failure.message_null);
        CHECK(failure.reserved == 0);
    }
}

TEST_CASE("C-2.7 SetFailure round trip keeps non-ASCII text and characters outside the BMP")
{
    const std::u16string message = u"échec – 失败 😀";
    auto store = make_store();
    Ref<IVssComponentEx2> writer(open_component(store, writer_in(Event::PrepareBackup)));
    CHECK(writer->SetFailure(VSS_E_WRITERERROR_NONRETRYABLE, static_cast<HRESULT>(0x8007000E),
                             W(message.c_str()), 0) == S_OK);
    Ref<IVssComponentEx2> reader(open_component(store, requester()));
    HRESULT hr = S_OK, hr_application = S_OK;
    BSTR text = nullptr;
    DWORD reserved = 99;
    REQUIRE(reader->GetFailure(&hr, &hr_application, &text, &reserved) == S_OK);
    CHECK(hr == VSS_E_WRITERERROR_NONRETRYABLE);
    CHECK(hr_application == static_cast<HRESULT>(0x8007000E));
    CHECK(reserved == 0);
    CHECK(SysStringLen(text) == message.size()); // 13 units: the emoji is a surrogate pair
    CHECK(text_of(text) == message);
    SysFreeString(text);
}

TEST_CASE("C-2.7 with C-2.2: SetFailure copies the message, so the caller's buffer may be freed right after the call")
{
    auto store = make_store();
    Ref<IVssComponentEx2> writer(open_component(store, writer_in(Event::PostSnapshot)));
    {
        const std::u16string source = u"volume D: went away";
        auto buffer = std::make_unique<char16_t[]>(source.size() + 1);
        std::memcpy(buffer.get(), source.c_str(), (source.size() + 1) * sizeof(char16_t));
        CHECK(writer->SetFailure(VSS_E_WRITERERROR_RETRYABLE, S_OK, W(buffer.get()), 0) == S_OK);
        std::fill_n(buffer.get(), source.size(), u'X');
    } // freed: AddressSanitizer reports any later read of it
    CHECK(read_failure(writer.get()).message == u"volume D: went away");
}

TEST_CASE("C-2.7 SetFailure accepts S_OK and the five writer codes; hrApplication is any value")
{
    const HRESULT accepted[] = {
        S_OK,
        VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT,
        VSS_E_WRITERERROR_OUTOFRESOURCES,
        VSS_E_WRITERERROR_TIMEOUT,
        VSS_E_WRITERERROR_RETRYABLE,
        VSS_E_WRITERERROR_NONRETRYABLE,
    };
    const HRESULT applications[] = {S_OK, S_FALSE, E_FAIL, static_cast<HRESULT>(0x12345678)};
    for (HRESULT hr : accepted) {
        for (HRESULT application : applications) {
            CAPTURE(hr);
            CAPTURE(application);
            auto store = make_store();
            Ref<IVssComponentEx2> writer(open_component(store, writer_in(Event::PostRestore, true)));
            CHECK(writer->SetFailure(hr, application, W(u"m"), 0) == S_OK);
            const Failure failure = read_failure(writer.get());
            CHECK(failure.hr == hr);
            CHECK(failure.hr_application == application);
            CHECK(failure.message == u"m");
        }
    }
}

TEST_CASE("C-2.7 SetFailure rejects other codes, a reserved value and an overlong message with E_INVALIDARG, recording nothing")
{
    const std::u16string overlong(vssapi::core::kMaxFailureMessage + 1, u'x');
    struct Case {
        const char *name;
        HRESULT hr;
        DWORD reserved;
        const char16_t *message;
    };
    const Case cases[] = {
        {"PARTIAL_FAILURE is the writer's, not a component's", VSS_E_WRITERERROR_PARTIAL_FAILURE, 0, u"m"},
        {"E_FAIL", E_FAIL, 0, u"m"},
        {"S_FALSE", S_FALSE, 0, u"m"},
        {"WRITER_NOT_RESPONDING is the service's", VSS_E_WRITER_NOT_RESPONDING, 0, u"m"},
        {"WRITER_STATUS_NOT_AVAILABLE is the service's", VSS_E_WRITER_STATUS_NOT_AVAILABLE, 0, u"m"},
        {"dwReserved 1", VSS_E_WRITERERROR_RETRYABLE, 1, u"m"},
        {"dwReserved ~0", VSS_E_WRITERERROR_RETRYABLE, ~DWORD{0}, u"m"},
        {"32,768 units", VSS_E_WRITERERROR_RETRYABLE, 0, overlong.c_str()},
    };
    for (const Case &each : cases) {
        CAPTURE(each.name);
        auto store = make_store();
        Ref<IVssComponentEx2> writer(open_component(store, writer_in(Event::PrepareBackup)));
        REQUIRE(writer->SetFailure(VSS_E_WRITERERROR_TIMEOUT, E_ABORT, W(u"earlier"), 0) == S_OK);
        CHECK(writer->SetFailure(each.hr, E_FAIL, W(each.message), each.reserved) == E_INVALIDARG);
        const Failure failure = read_failure(writer.get());
        CHECK(failure.hr == VSS_E_WRITERERROR_TIMEOUT);
        CHECK(failure.hr_application == E_ABORT);
        CHECK(failure.message == u"earlier");
    }
}

TEST_CASE("C-2.7 with C-2.2: a SetFailure message of exactly 32,767 units is kept whole")
{
    const std::u16string longest(vssapi::core::kMaxFailureMessage, u'\u00e9');
    auto store = make_store();
    Ref<IVssComponentEx2> writer(open_component(store, writer_in(Event::PrepareBackup)));
    CHECK(writer->SetFailure(VSS_E_WRITERERROR_OUTOFRESOURCES, S_OK, W(longest.c_str()), 0) == S_OK);
    CHECK(read_failure(writer.get()).message == longest);
}

TEST_CASE("C-2.7 with C-2.2: a NULL or empty SetFailure message reads back as a NULL BSTR")
{
    for (const char16_t *message : {static_cast<const char16_t *>(nullptr), u""}) {
        auto store = make_store();
        Ref<IVssComponentEx2> writer(open_component(store, writer_in(Event::PreRestore, true)));
        CHECK(writer->SetFailure(VSS_E_WRITERERROR_RETRYABLE, S_OK, W(message), 0) == S_OK);
        const Failure failure = read_failure(writer.get());
        CHECK(failure.hr == VSS_E_WRITERERROR_RETRYABLE);
        CHECK(failure.message_null);
    }
}

TEST_CASE("C-2.7 the last accepted SetFailure call wins, S_OK included")
{
    auto store = make_store();
    Ref<IVssComponentEx2> writer(open_component(store, writer_in(Event::PrepareBackup)));
    CHECK(writer->SetFailure(VSS_E_WRITERERROR_RETRYABLE, E_FAIL, W(u"first"), 0) == S_OK);
    CHECK(writer->SetFailure(VSS_E_WRITERERROR_NONRETRYABLE, E_ABORT, W(u"second"), 0) == S_OK);
    Failure failure = read_failure(writer.get());
    CHECK(failure.hr == VSS_E_WRITERERROR_NONRETRYABLE);
    CHECK(failure.hr_application == E_ABORT);
    CHECK(failure.message == u"second");

    CHECK(writer->SetFailure(S_OK, S_OK, nullptr, 0) == S_OK);
    failure = read_failure(writer.get());
    CHECK(failure.hr == S_OK);
    CHECK(failure.hr_application == S_OK);
    CHECK(failure.message_null);
    // A failure set on one component stays on it.
    Ref<IVssComponentEx2> other(open_component(store, requester(), 1));
    CHECK(writer->SetFailure(VSS_E_WRITERERROR_TIMEOUT, S_OK, W(u"x"), 0) == S_OK);
    CHECK(read_failure(other.get()).hr == S_OK);
}

TEST_CASE("a component answers IVssComponent, Ex and Ex2 with one identity; other IIDs get E_NOINTERFACE")
{
    auto store = make_store();
    Ref<IVssComponentEx2> ex2(open_component(store, requester()));
    Ref<IVssComponent> base;
    Ref<IVssComponentEx> ex;
    Ref<IVssComponentEx2> again;
    REQUIRE(ex2->QueryInterface(IID_IVssComponent, base.put_void()) == S_OK);
    REQUIRE(base->QueryInterface(IID_IVssComponentEx, ex.put_void()) == S_OK);
    REQUIRE(ex->QueryInterface(IID_IVssComponentEx2, again.put_void()) == S_OK);
    CHECK(again.get() == ex2.get());

    IUnknown *identities[3] = {};
    REQUIRE(base->QueryInterface(IID_IUnknown, reinterpret_cast<void **>(&identities[0])) == S_OK);
    REQUIRE(ex->QueryInterface(IID_IUnknown, reinterpret_cast<void **>(&identities[1])) == S_OK);
    REQUIRE(ex2->QueryInterface(IID_IUnknown, reinterpret_cast<void **>(&identities[2])) == S_OK);
    CHECK(identities[0] == identities[1]);
    CHECK(identities[1] == identities[2]);
    for (IUnknown *each : identities) {
        each->Release();
    }

    for (const IID *unknown : {&IID_IVssBackupComponents, &IID_IVssExamineWriterMetadata, &IID_IVssAsync}) {
        void *out = ex2.get();
        CHECK(ex2->QueryInterface(*unknown, &out) == E_NOINTERFACE);
        CHECK(out == nullptr);
    }
    CHECK(ex2->QueryInterface(IID_IVssComponent, nullptr) == E_POINTER);
}

} // TEST_SUITE
