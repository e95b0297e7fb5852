// The rest of the SDK surface issue 3 asks for, beyond the contract's rules:
// writer filters, instances of one class, metadata lifetime, the protected
// getters a handler calls.
#include "vss_fixture.h"

using namespace conformance;

TEST_CASE("several instances of one writer class are listed apart; DisableWriterInstances and classes filter them")
{
    Isolated isolated;
    TestWriter first{u"Instance One", test_guid(1), VSS_APP_FRONT_END, 60000, u"one"};
    TestWriter second{u"Instance Two", test_guid(1), VSS_APP_FRONT_END, 60000, u"two"};
    TestWriter other{u"Other Class", test_guid(2)};
    VSS_ID first_instance{};
    {
        Requester requester;
        requester.gather();
        const auto rows = requester.status();
        REQUIRE(rows.size() == 3);
        CHECK(IsEqualGUID(rows[0].writer, rows[1].writer));
        CHECK_FALSE(IsEqualGUID(rows[0].instance, rows[1].instance));
        first_instance = rows[0].instance;
        IVssExamineWriterMetadata *metadata = nullptr;
        VSS_ID instance{};
        REQUIRE(requester->GetWriterMetadata(1, &instance, &metadata) == S_OK);
        IVssExamineWriterMetadataEx *ex = nullptr;
        REQUIRE(metadata->QueryInterface(IID_IVssExamineWriterMetadataEx, reinterpret_cast<void **>(&ex)) == S_OK);
        VSS_ID i2{}, w2{};
        BSTR name = nullptr, instance_name = nullptr;
        VSS_USAGE_TYPE usage{};
        VSS_SOURCE_TYPE source{};
        REQUIRE(ex->GetIdentityEx(&i2, &w2, &name, &instance_name, &usage, &source) == S_OK);
        CHECK(std::u16string(reinterpret_cast<const char16_t *>(instance_name)) == u"two");
        CHECK(IsEqualGUID(i2, instance));
        CHECK(usage == VSS_UT_USERDATA);
        SysFreeString(name);
        SysFreeString(instance_name);
        ex->Release();
        metadata->Release();
    }
    SUBCASE("DisableWriterInstances")
    {
        Requester requester;
        REQUIRE(requester->InitializeForBackup(nullptr) == S_OK);
        REQUIRE(requester->DisableWriterInstances(&first_instance, 1) == S_OK);
        REQUIRE(requester.run(&IVssBackupComponents::GatherWriterMetadata) == VSS_S_ASYNC_FINISHED);
        CHECK(requester.status().size() == 2);
        CHECK(first.count(On::Identify) == 1); // only the unfiltered session
    }
    SUBCASE("DisableWriterClasses")
    {
        Requester requester;
        REQUIRE(requester->InitializeForBackup(nullptr) == S_OK);
        const VSS_ID klass = test_guid(1);
        REQUIRE(requester->DisableWriterClasses(&klass, 1) == S_OK);
        REQUIRE(requester.run(&IVssBackupComponents::GatherWriterMetadata) == VSS_S_ASYNC_FINISHED);
        const auto rows = requester.status();
        REQUIRE(rows.size() == 1);
        CHECK(rows[0].name == u"Other Class");
    }
    SUBCASE("EnableWriterClasses: only those take part")
    {
        Requester requester;
        REQUIRE(requester->InitializeForBackup(nullptr) == S_OK);
        const VSS_ID klass = test_guid(2);
        REQUIRE(requester->EnableWriterClasses(&klass, 1) == S_OK);
        REQUIRE(requester.run(&IVssBackupComponents::GatherWriterMetadata) == VSS_S_ASYNC_FINISHED);
        CHECK(requester.status().size() == 1);
        CHECK(requester->DisableWriterClasses(&klass, 1) == VSS_E_BAD_STATE); // filters come before gathering
    }
}

TEST_CASE("FreeWriterMetadata empties the metadata list; metadata objects already handed out stay valid")
{
    Isolated isolated;
    TestWriter writer{u"Writer", test_guid(1)};
    Requester requester;
    requester.gather();
    IVssExamineWriterMetadata *metadata = nullptr;
    VSS_ID instance{};
    REQUIRE(requester->GetWriterMetadata(0, &instance, &metadata) == S_OK);
    IVssExamineWriterMetadata *missing = nullptr;
    CHECK(requester->GetWriterMetadata(1, &instance, &missing) == VSS_E_OBJECT_NOT_FOUND);
    CHECK(missing == nullptr);
    REQUIRE(requester->FreeWriterMetadata() == S_OK);
    UINT count = 7;
    CHECK(requester->GetWriterMetadataCount(&count) == S_OK);
    CHECK(count == 0);
    UINT include = 0, exclude = 0, components = 0;
    CHECK(metadata->GetFileCounts(&include, &exclude, &components) == S_OK);
    metadata->Release();
}

TEST_CASE("the getters a handler calls describe its session")
{
    Isolated isolated;
    TestWriter writer{u"Writer", test_guid(1), VSS_APP_BACK_END};
    writer.on_identify([](TestWriter &, IVssCreateWriterMetadataEx *metadata) {
        return metadata->AddComponent(VSS_CT_FILEGROUP, nullptr, W(u"Files"), nullptr, nullptr, 0, false, false,
                                      true) == S_OK;
    });
    bool components_selected = false, bootable = true, partial = true, shutting_down = true;
    VSS_BACKUP_TYPE type = VSS_BT_UNDEFINED;
    LONG context = -1;
    UINT identity_components = 0;
    GUID outside_set{1, 1, 1, {1}};
    writer.on(On::PrepareSnapshot, [&](TestWriter &w, IVssWriterComponents *) {
        components_selected = w.AreComponentsSelected();
        bootable = w.IsBootableSystemStateBackedUp();
        partial = w.IsPartialFileSupportEnabled();
        type = w.GetBackupType();
        context = w.GetContext();
        shutting_down = w.IsWriterShuttingDown();
        IVssExamineWriterMetadata *identity = nullptr;
        if (w.GetIdentifyInformation(&identity) == S_OK && identity != nullptr) {
            UINT include = 0, exclude = 0;
            identity->GetFileCounts(&include, &exclude, &identity_components);
        }
        return true;
    });
    Requester requester;
    requester.gather(true);
    REQUIRE(requester->SetBackupState(true, false, VSS_BT_INCREMENTAL, false) == S_OK);
    requester.prepare();
    REQUIRE(requester.run(&IVssBackupComponents::DoSnapshotSet) == VSS_S_ASYNC_FINISHED);
    CHECK(components_selected);
    CHECK_FALSE(bootable);
    CHECK_FALSE(partial);
    CHECK(type == VSS_BT_INCREMENTAL);
    CHECK(context == VSS_CTX_BACKUP);
    CHECK_FALSE(shutting_down);
    CHECK(identity_components == 1);
    // Outside a handler the getters answer their defaults.
    outside_set = writer.GetCurrentSnapshotSetId();
    CHECK(IsEqualGUID(outside_set, GUID_NULL));
    CHECK(writer.GetCurrentVolumeCount() == 0);
    CHECK(writer.GetCurrentVolumeArray() == nullptr);
    VSS_ID session{};
    CHECK(writer.GetSessionId(&session) == VSS_E_BAD_STATE);
    CHECK(writer.GetSessionId(nullptr) == E_INVALIDARG);
}
