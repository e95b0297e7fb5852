// Contract C-2: SetWriterFailureEx, end to end through CVssWriterEx2 and
// IVssBackupComponentsEx3::GetWriterStatusEx.
#include "vss_fixture.h"

#include <cstring>
#include <memory>

using namespace conformance;

namespace {

// The seed scenario's message: Latin-1, CJK and a character outside the BMP.
const std::u16string kMessage = u"Sauvegarde échouée – 数据库忙 😀 (retry later)";

// Runs the whole backup; the writer under test does `action` in `event`.
struct Scenario {
    Isolated isolated;
    TestWriter writer{u"Writer Under Test", test_guid(1)};
    Requester requester;

    void run_full()
    {
        requester.gather();
        requester.prepare();
        CHECK(requester.run(&IVssBackupComponents::DoSnapshotSet) == VSS_S_ASYNC_FINISHED);
        CHECK(requester.run(&IVssBackupComponents::BackupComplete) == VSS_S_ASYNC_FINISHED);
    }
};

} // namespace

TEST_CASE("C-2 seed: RETRYABLE in OnFreeze with an application code and a non-BMP message reads back unchanged")
{
    Scenario s;
    HRESULT set_result = E_FAIL;
    s.writer.on(On::Freeze, [&](TestWriter &w, IVssWriterComponents *) {
        // The message buffer dies right after the call (C-2.2: it is copied).
        auto buffer = std::make_unique<char16_t[]>(kMessage.size() + 1);
        std::memcpy(buffer.get(), kMessage.c_str(), (kMessage.size() + 1) * sizeof(char16_t));
        set_result = w.SetWriterFailureEx(VSS_E_WRITERERROR_RETRYABLE, HRESULT(0x80070020),
                                          reinterpret_cast<LPCWSTR>(buffer.get()));
        std::memset(buffer.get(), 0xCD, kMessage.size() * sizeof(char16_t));
        return false;
    });
    s.requester.gather();
    s.requester.prepare();
    // C-3.7: a writer failure does not fail DoSnapshotSet.
    CHECK(s.requester.run(&IVssBackupComponents::DoSnapshotSet) == VSS_S_ASYNC_FINISHED);
    CHECK(set_result == S_OK);
    const StatusRow row = s.requester.status_of(u"Writer Under Test");
    CHECK(row.state == VSS_WS_FAILED_AT_FREEZE);
    CHECK(row.hr_writer == VSS_E_WRITERERROR_RETRYABLE);
    CHECK(row.hr_application == HRESULT(0x80070020));
    CHECK_FALSE(row.message_is_null);
    CHECK(row.message == kMessage);
}

TEST_CASE("C-2.1 SetWriterFailureEx accepts exactly the seven documented codes; SetWriterFailure five")
{
    struct Row {
        HRESULT code;
        bool ex_accepts;
        bool plain_accepts;
    };
    const Row rows[] = {
        {S_OK, true, false},
        {VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT, true, true},
        {VSS_E_WRITERERROR_OUTOFRESOURCES, true, true},
        {VSS_E_WRITERERROR_TIMEOUT, true, true},
        {VSS_E_WRITERERROR_RETRYABLE, true, true},
        {VSS_E_WRITERERROR_NONRETRYABLE, true, true},
        {VSS_E_WRITERERROR_PARTIAL_FAILURE, true, false},
        {E_FAIL, false, false},
        {S_FALSE, false, false},
        {VSS_E_WRITER_NOT_RESPONDING, false, false},
        {VSS_E_WRITER_STATUS_NOT_AVAILABLE, false, false},
        {VSS_E_BAD_STATE, false, false},
        {HRESULT(0x800423EF), false, false},         // one below INCONSISTENTSNAPSHOT
        {VSS_E_WRITERERROR_RECOVERY_FAILED, false, false}, // one above NONRETRYABLE
        {HRESULT(0x80042337), false, false},         // one above PARTIAL_FAILURE
    };
    for (const Row &row : rows) {
        for (bool ex : {true, false}) {
            CAPTURE(row.code);
            CAPTURE(ex);
            Scenario s;
            HRESULT first = E_FAIL;
            HRESULT second = E_FAIL;
            s.writer.on(On::PrepareBackup, [&](TestWriter &w, IVssWriterComponents *) {
                // A valid failure first, so a refused call visibly changes nothing.
                w.SetWriterFailureEx(VSS_E_WRITERERROR_TIMEOUT, 7, W(u"kept"));
                first = ex ? w.SetWriterFailureEx(row.code, 99, W(u"new")) : w.SetWriterFailure(row.code);
                second = S_OK;
                return true;
            });
            s.requester.gather();
            s.requester.prepare();
            const bool accepted = ex ? row.ex_accepts : row.plain_accepts;
            CHECK(second == S_OK);
            CHECK(first == (accepted ? S_OK : E_INVALIDARG));
            const StatusRow status = s.requester.status_of(u"Writer Under Test");
            if (!accepted) {
                CHECK(status.hr_writer == VSS_E_WRITERERROR_TIMEOUT);
                CHECK(status.hr_application == 7);
                CHECK(status.message == u"kept");
            } else {
                CHECK(status.hr_writer == row.code);
            }
        }
    }
}

TEST_CASE("C-2.2 hrApplication is reported unchanged, the default is S_FALSE, NULL and empty messages read as NULL")
{
    const HRESULT applications[] = {S_OK, S_FALSE, E_FAIL, HRESULT(0x80070020), HRESULT(0x12345678),
                                    HRESULT(0xFFFFFFFF)};
    for (HRESULT application : applications) {
        CAPTURE(application);
        Scenario s;
        s.writer.on(On::PrepareBackup, [&](TestWriter &w, IVssWriterComponents *) {
            return w.SetWriterFailureEx(VSS_E_WRITERERROR_NONRETRYABLE, application, W(u"m")) == S_OK;
        });
        s.requester.gather();
        s.requester.prepare();
        CHECK(s.requester.status_of(u"Writer Under Test").hr_application == application);
    }
    SUBCASE("default arguments")
    {
        Scenario s;
        s.writer.on(On::PrepareBackup, [&](TestWriter &w, IVssWriterComponents *) {
            return w.SetWriterFailureEx(VSS_E_WRITERERROR_NONRETRYABLE) == S_OK;
        });
        s.requester.gather();
        s.requester.prepare();
        const StatusRow row = s.requester.status_of(u"Writer Under Test");
        CHECK(row.hr_application == S_FALSE);
        CHECK(row.message_is_null);
    }
    SUBCASE("empty message")
    {
        Scenario s;
        s.writer.on(On::PrepareBackup, [&](TestWriter &w, IVssWriterComponents *) {
            return w.SetWriterFailureEx(VSS_E_WRITERERROR_NONRETRYABLE, S_OK, W(u"")) == S_OK;
        });
        s.requester.gather();
        s.requester.prepare();
        CHECK(s.requester.status_of(u"Writer Under Test").message_is_null);
    }
}

TEST_CASE("C-2.2 messages up to 32,767 UTF-16 units are kept; longer ones are refused and record nothing")
{
    const std::u16string longest(32767, u'x');
    const std::u16string too_long(32768, u'y');
    Scenario s;
    HRESULT accepted = E_FAIL;
    HRESULT refused = E_FAIL;
    s.writer.on(On::PrepareBackup, [&](TestWriter &w, IVssWriterComponents *) {
        accepted = w.SetWriterFailureEx(VSS_E_WRITERERROR_NONRETRYABLE, 1, reinterpret_cast<LPCWSTR>(longest.c_str()));
        refused = w.SetWriterFailureEx(VSS_E_WRITERERROR_RETRYABLE, 2, reinterpret_cast<LPCWSTR>(too_long.c_str()));
        return true;
    });
    s.requester.gather();
    s.requester.prepare();
    CHECK(accepted == S_OK);
    CHECK(refused == E_INVALIDARG);
    const StatusRow row = s.requester.status_of(u"Writer Under Test");
    CHECK(row.hr_writer == VSS_E_WRITERERROR_NONRETRYABLE);
    CHECK(row.hr_application == 1);
    CHECK(row.message == longest);
}

TEST_CASE("C-2.3 SetWriterFailureEx from OnIdentify, from another thread, outside a handler or for another writer is VSS_E_BAD_STATE")
{
    Isolated isolated;
    TestWriter writer{u"Writer Under Test", test_guid(1)};
    TestWriter other{u"Other Writer", test_guid(2)};
    HRESULT in_identify = E_FAIL;
    HRESULT plain_in_identify = E_FAIL;
    HRESULT from_thread = E_FAIL;
    HRESULT for_other = E_FAIL;
    writer.on_identify([&](TestWriter &w, IVssCreateWriterMetadataEx *) {
        in_identify = w.SetWriterFailureEx(VSS_E_WRITERERROR_RETRYABLE, 1, W(u"identify"));
        plain_in_identify = w.SetWriterFailure(VSS_E_WRITERERROR_RETRYABLE);
        return true;
    });
    writer.on(On::PrepareBackup, [&](TestWriter &w, IVssWriterComponents *) {
        std::thread helper([&] { from_thread = w.SetWriterFailureEx(VSS_E_WRITERERROR_RETRYABLE, 2, W(u"thread")); });
        helper.join();
        return true;
    });
    other.on(On::PrepareBackup, [&](TestWriter &, IVssWriterComponents *) {
        for_other = writer.SetWriterFailureEx(VSS_E_WRITERERROR_RETRYABLE, 3, W(u"foreign"));
        return true;
    });
    CHECK(writer.SetWriterFailureEx(VSS_E_WRITERERROR_RETRYABLE, 4, W(u"outside")) == VSS_E_BAD_STATE);
    CHECK(writer.SetWriterFailure(VSS_E_WRITERERROR_RETRYABLE) == VSS_E_BAD_STATE);
    Requester requester;
    requester.gather();
    requester.prepare();
    CHECK(in_identify == VSS_E_BAD_STATE);
    CHECK(plain_in_identify == VSS_E_BAD_STATE);
    CHECK(from_thread == VSS_E_BAD_STATE);
    CHECK(for_other == VSS_E_BAD_STATE);
    for (const StatusRow &row : requester.status()) {
        CAPTURE(narrow(row.name));
        CHECK(row.state == VSS_WS_STABLE); // nothing was recorded anywhere
        CHECK(row.hr_writer == S_OK);
        CHECK(row.hr_application == S_OK);
        CHECK(row.message_is_null);
    }
}

TEST_CASE("C-2.4 within one handler the last accepted call wins")
{
    Scenario s;
    s.writer.on(On::PrepareBackup, [&](TestWriter &w, IVssWriterComponents *) {
        w.SetWriterFailureEx(VSS_E_WRITERERROR_RETRYABLE, 1, W(u"first"));
        w.SetWriterFailureEx(VSS_E_WRITERERROR_OUTOFRESOURCES, 2, W(u"second"));
        w.SetWriterFailureEx(HRESULT(0x80004005), 3, W(u"refused")); // E_FAIL: not accepted, changes nothing
        return true;
    });
    s.requester.gather();
    s.requester.prepare();
    const StatusRow row = s.requester.status_of(u"Writer Under Test");
    CHECK(row.state == VSS_WS_FAILED_AT_PREPARE_BACKUP);
    CHECK(row.hr_writer == VSS_E_WRITERERROR_OUTOFRESOURCES);
    CHECK(row.hr_application == 2);
    CHECK(row.message == u"second");

    SUBCASE("a later S_OK clears the veto of the same handler")
    {
        Scenario t;
        t.writer.on(On::PrepareBackup, [&](TestWriter &w, IVssWriterComponents *) {
            w.SetWriterFailureEx(VSS_E_WRITERERROR_RETRYABLE, 1, W(u"first"));
            w.SetWriterFailureEx(S_OK, 5, W(u"fine after all"));
            return true;
        });
        t.requester.gather();
        t.requester.prepare();
        const StatusRow cleared = t.requester.status_of(u"Writer Under Test");
        CHECK(cleared.state == VSS_WS_STABLE);
        CHECK(cleared.hr_writer == S_OK);
        CHECK(cleared.hr_application == 5);
        CHECK(cleared.message == u"fine after all");
    }
}

namespace {

enum class Outcome { TrueNone, TrueOk, TrueError, FalseNone, FalseOk, FalseError, Threw };

const char *outcome_name(Outcome outcome)
{
    switch (outcome) {
    case Outcome::TrueNone: return "true, no failure set";
    case Outcome::TrueOk: return "true, S_OK set";
    case Outcome::TrueError: return "true, error set";
    case Outcome::FalseNone: return "false, no failure set";
    case Outcome::FalseOk: return "false, S_OK set";
    case Outcome::FalseError: return "false, error set";
    case Outcome::Threw: return "threw";
    }
    return "?";
}

TestWriter::Action act(Outcome outcome)
{
    return [outcome](TestWriter &w, IVssWriterComponents *) -> bool {
        switch (outcome) {
        case Outcome::TrueNone: return true;
        case Outcome::TrueOk: w.SetWriterFailureEx(S_OK, 0x11, W(u"ok msg")); return true;
        case Outcome::TrueError: w.SetWriterFailureEx(VSS_E_WRITERERROR_OUTOFRESOURCES, 0x22, W(u"err msg")); return true;
        case Outcome::FalseNone: return false;
        case Outcome::FalseOk: w.SetWriterFailureEx(S_OK, 0x33, W(u"ok msg")); return false;
        case Outcome::FalseError: w.SetWriterFailureEx(VSS_E_WRITERERROR_RETRYABLE, 0x44, W(u"err msg")); return false;
        case Outcome::Threw:
            w.SetWriterFailureEx(VSS_E_WRITERERROR_RETRYABLE, 0x55, W(u"lost"));
            throw std::runtime_error("handler bug");
        }
        return true;
    };
}

struct Expected {
    bool fails;
    HRESULT hr_writer;
    HRESULT hr_application;
    const char16_t *message; // nullptr: NULL BSTR
};

Expected expected_for(Outcome outcome)
{
    switch (outcome) {
    case Outcome::TrueNone: return {false, S_OK, S_OK, nullptr};
    case Outcome::TrueOk: return {false, S_OK, 0x11, u"ok msg"};
    case Outcome::TrueError: return {true, VSS_E_WRITERERROR_OUTOFRESOURCES, 0x22, u"err msg"};
    case Outcome::FalseNone: return {true, VSS_E_WRITERERROR_NONRETRYABLE, S_OK, nullptr};
    case Outcome::FalseOk: return {true, VSS_E_WRITERERROR_NONRETRYABLE, 0x33, u"ok msg"};
    case Outcome::FalseError: return {true, VSS_E_WRITERERROR_RETRYABLE, 0x44, u"err msg"};
    case Outcome::Threw: return {true, VSS_E_WRITERERROR_NONRETRYABLE, S_OK, nullptr};
    }
    return {};
}

} // namespace

TEST_CASE("C-2.5 every row of the outcome table, in every backup event, through GetWriterStatusEx")
{
    struct EventRow {
        On event;
        VSS_WRITER_STATE failed;
        VSS_WRITER_STATE after_success; // read right after the step that ends with it
    };
    const EventRow events[] = {
        {On::PrepareBackup, VSS_WS_FAILED_AT_PREPARE_BACKUP, VSS_WS_STABLE},
        {On::PrepareSnapshot, VSS_WS_FAILED_AT_PREPARE_SNAPSHOT, VSS_WS_UNKNOWN},
        {On::Freeze, VSS_WS_FAILED_AT_FREEZE, VSS_WS_UNKNOWN},
        {On::Thaw, VSS_WS_FAILED_AT_THAW, VSS_WS_UNKNOWN},
        {On::PostSnapshot, VSS_WS_FAILED_AT_POST_SNAPSHOT, VSS_WS_WAITING_FOR_BACKUP_COMPLETE},
        {On::BackupComplete, VSS_WS_FAILED_AT_BACKUP_COMPLETE, VSS_WS_STABLE},
    };
    const Outcome outcomes[] = {Outcome::TrueNone, Outcome::TrueOk, Outcome::TrueError, Outcome::FalseNone,
                                Outcome::FalseOk, Outcome::FalseError, Outcome::Threw};
    for (const EventRow &event : events) {
        for (Outcome outcome : outcomes) {
            CAPTURE(on_name(event.event));
            CAPTURE(outcome_name(outcome));
            const Expected expected = expected_for(outcome);
            Scenario s;
            s.writer.on(event.event, act(outcome));
            s.requester.gather();
            s.requester.prepare();
            StatusRow row;
            if (event.event == On::PrepareBackup) {
                row = s.requester.status_of(u"Writer Under Test");
            } else {
                CHECK(s.requester.run(&IVssBackupComponents::DoSnapshotSet) == VSS_S_ASYNC_FINISHED);
                if (event.event != On::BackupComplete) {
                    row = s.requester.status_of(u"Writer Under Test");
                } else {
                    CHECK(s.requester.run(&IVssBackupComponents::BackupComplete) == VSS_S_ASYNC_FINISHED);
                    row = s.requester.status_of(u"Writer Under Test");
                }
            }
            if (expected.fails) {
                CHECK(row.state == event.failed);
            } else if (event.after_success != VSS_WS_UNKNOWN) {
                CHECK(row.state == event.after_success);
            }
            // The outcome of the event is what the requester reads when the
            // event is the last of its step (later handlers report afresh).
            if (expected.fails || event.after_success != VSS_WS_UNKNOWN) {
                CHECK(row.hr_writer == expected.hr_writer);
                CHECK(row.hr_application == expected.hr_application);
                CHECK(row.message_is_null == (expected.message == nullptr));
                if (expected.message != nullptr) {
                    CHECK(row.message == expected.message);
                }
            }
        }
    }
}

TEST_CASE("C-2.5 SetWriterFailure (no Ex) leaves hrApplication S_OK and the message NULL")
{
    Scenario s;
    s.writer.on(On::PrepareBackup, [&](TestWriter &w, IVssWriterComponents *) {
        return w.SetWriterFailure(VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT) == S_OK;
    });
    s.requester.gather();
    s.requester.prepare();
    const StatusRow row = s.requester.status_of(u"Writer Under Test");
    CHECK(row.state == VSS_WS_FAILED_AT_PREPARE_BACKUP);
    CHECK(row.hr_writer == VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT);
    CHECK(row.hr_application == S_OK);
    CHECK(row.message_is_null);
}

TEST_CASE("C-2.6 a failure belongs to its session; the next session starts STABLE with S_OK, S_OK, NULL")
{
    Isolated isolated;
    TestWriter writer{u"Writer Under Test", test_guid(1)};
    std::atomic<int> session{0};
    writer.on(On::PrepareBackup, [&](TestWriter &w, IVssWriterComponents *) {
        if (session.load() == 1) {
            w.SetWriterFailureEx(VSS_E_WRITERERROR_RETRYABLE, 0x1234, W(u"first session"));
            return false;
        }
        return true;
    });
    {
        session = 1;
        Requester first;
        first.gather();
        first.prepare();
        CHECK(first.status_of(u"Writer Under Test").state == VSS_WS_FAILED_AT_PREPARE_BACKUP);

        // A second session running at the same time does not see it either.
        session = 2;
        Requester parallel;
        parallel.gather();
        const StatusRow fresh = parallel.status_of(u"Writer Under Test");
        CHECK(fresh.state == VSS_WS_STABLE);
        CHECK(fresh.hr_writer == S_OK);
        CHECK(first.status_of(u"Writer Under Test").hr_application == 0x1234);
    }
    session = 3;
    Requester next;
    next.gather();
    const StatusRow row = next.status_of(u"Writer Under Test");
    CHECK(row.state == VSS_WS_STABLE);
    CHECK(row.hr_writer == S_OK);
    CHECK(row.hr_application == S_OK);
    CHECK(row.message_is_null);
}

namespace {

bool declare_two_components(TestWriter &, IVssCreateWriterMetadataEx *metadata)
{
    for (const char16_t *name : {u"Database A", u"Database B"}) {
        if (metadata->AddComponent(VSS_CT_FILEGROUP, nullptr, reinterpret_cast<LPCWSTR>(name), nullptr, nullptr,
                                   0, false, false, true) != S_OK) {
            return false;
        }
    }
    return true;
}

} // namespace

TEST_CASE("C-2.7 PARTIAL_FAILURE with two failed components, read through IVssComponentEx2::GetFailure")
{
    Scenario s;
    s.writer.on_identify(&declare_two_components);
    s.writer.on(On::PostSnapshot, [&](TestWriter &w, IVssWriterComponents *components) {
        REQUIRE(components != nullptr);
        UINT count = 0;
        REQUIRE(components->GetComponentCount(&count) == S_OK);
        REQUIRE(count == 2);
        for (UINT i = 0; i < count; ++i) {
            IVssComponent *component = nullptr;
            REQUIRE(components->GetComponent(i, &component) == S_OK);
            void *ex2 = nullptr;
            REQUIRE(component->QueryInterface(IID_IVssComponentEx2, &ex2) == S_OK);
            const HRESULT code = i == 0 ? VSS_E_WRITERERROR_RETRYABLE : VSS_E_WRITERERROR_NONRETRYABLE;
            CHECK(static_cast<IVssComponentEx2 *>(ex2)->SetFailure(code, 0x100 + i, i == 0 ? W(u"A: verrou 😀") : W(u"B: 损坏"), 0) == S_OK);
            static_cast<IVssComponentEx2 *>(ex2)->Release();
            component->Release();
        }
        return w.SetWriterFailureEx(VSS_E_WRITERERROR_PARTIAL_FAILURE, 0x2A, W(u"two components failed")) == S_OK;
    });
    s.requester.gather();
    s.requester.select_all_components();
    s.requester.prepare();
    CHECK(s.requester.run(&IVssBackupComponents::DoSnapshotSet) == VSS_S_ASYNC_FINISHED);
    const StatusRow row = s.requester.status_of(u"Writer Under Test");
    CHECK(row.state == VSS_WS_FAILED_AT_POST_SNAPSHOT);
    CHECK(row.hr_writer == VSS_E_WRITERERROR_PARTIAL_FAILURE);
    CHECK(row.hr_application == 0x2A);

    UINT writers = 0;
    REQUIRE(s.requester->GetWriterComponentsCount(&writers) == S_OK);
    REQUIRE(writers == 1);
    IVssWriterComponentsExt *writer_components = nullptr;
    REQUIRE(s.requester->GetWriterComponents(0, &writer_components) == S_OK);
    UINT count = 0;
    REQUIRE(writer_components->GetComponentCount(&count) == S_OK);
    REQUIRE(count == 2);
    const std::u16string messages[] = {u"A: verrou 😀", u"B: 损坏"};
    for (UINT i = 0; i < count; ++i) {
        IVssComponent *component = nullptr;
        REQUIRE(writer_components->GetComponent(i, &component) == S_OK);
        void *ex2 = nullptr;
        REQUIRE(component->QueryInterface(IID_IVssComponentEx2, &ex2) == S_OK);
        HRESULT hr = E_FAIL, application = E_FAIL;
        BSTR message = nullptr;
        DWORD reserved = 1;
        REQUIRE(static_cast<IVssComponentEx2 *>(ex2)->GetFailure(&hr, &application, &message, &reserved) == S_OK);
        CHECK(hr == (i == 0 ? VSS_E_WRITERERROR_RETRYABLE : VSS_E_WRITERERROR_NONRETRYABLE));
        CHECK(application == HRESULT(0x100 + i));
        CHECK(std::u16string(reinterpret_cast<const char16_t *>(message), SysStringLen(message)) == messages[i]);
        CHECK(reserved == 0);
        SysFreeString(message);
        static_cast<IVssComponentEx2 *>(ex2)->Release();
        component->Release();
    }
    writer_components->Release();
}

TEST_CASE("C-2.7 PARTIAL_FAILURE with no failed component is still reported as set")
{
    Scenario s;
    s.writer.on(On::PrepareBackup, [&](TestWriter &w, IVssWriterComponents *) {
        return w.SetWriterFailureEx(VSS_E_WRITERERROR_PARTIAL_FAILURE, S_OK, nullptr) == S_OK;
    });
    s.requester.gather();
    s.requester.prepare();
    const StatusRow row = s.requester.status_of(u"Writer Under Test");
    CHECK(row.state == VSS_WS_FAILED_AT_PREPARE_BACKUP);
    CHECK(row.hr_writer == VSS_E_WRITERERROR_PARTIAL_FAILURE);
}
