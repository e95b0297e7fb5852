// The flat C API as a sequence of calls decoded from the input: any order, any
// values (enums out of range, invalid UTF-8, sizes of every kind), writers
// whose handlers fail, report failures, or unsubscribe themselves. Handles
// are only ever valid ones or NULL (a freed handle is the caller's bug, as
// with free()). Nothing may crash, leak or hang (C-6.2).
#include "fuzz_input.h"

#include <vsserror.h>
#include <vssapi/vssapi.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

constexpr std::size_t kSlots = 3;

struct WriterScript {
    vss_writer *writer = nullptr;
    // What each handler does (index: the callback's place in vss_writer_callbacks).
    std::array<uint8_t, 11> action{};
    std::array<int32_t, 2> failure{};
    std::string message;
};

int32_t act(WriterScript &script, int event, vss_writer *writer, vss_components *components)
{
    switch (script.action[event] % 6) {
    case 1:
        return 0; // the handler fails
    case 2:
        (void)vss_writer_set_failure_ex(writer, script.failure[0], script.failure[1], script.message.c_str());
        return 0;
    case 3:
        (void)vss_writer_set_failure(writer, script.failure[0]);
        return 1;
    case 4:
        if (components != nullptr) {
            uint32_t count = 0;
            if (vss_components_count(components, &count) == S_OK) {
                for (uint32_t i = 0; i <= count; ++i) {
                    (void)vss_components_set_failure(components, i, script.failure[0], script.failure[1],
                                                     script.message.c_str());
                }
            }
        }
        return 1;
    case 5:
        (void)vss_writer_unsubscribe(writer); // from inside its own handler
        return 1;
    default:
        return 1;
    }
}

// Named functions, not lambdas: on 32-bit Windows the table's pointers are
// __stdcall (VSS_CALL), which a lambda does not convert to.
template <int Event>
int32_t VSS_CALL plain_handler(void *user, vss_writer *writer)
{
    return act(*static_cast<WriterScript *>(user), Event, writer, nullptr);
}

template <int Event>
int32_t VSS_CALL components_handler(void *user, vss_writer *writer, vss_components *components)
{
    return act(*static_cast<WriterScript *>(user), Event, writer, components);
}

int32_t VSS_CALL identify_handler(void *user, vss_writer *writer, vss_metadata *metadata)
{
    auto &script = *static_cast<WriterScript *>(user);
    (void)vss_metadata_add_component(metadata, script.failure[1] & 3, nullptr, "data", script.message.c_str(), 1);
    (void)vss_metadata_add_files(metadata, script.failure[0] & 3, nullptr, "data", "C:\\data", "*", script.failure[1] & 1);
    return act(script, 0, writer, nullptr);
}

int32_t VSS_CALL shutdown_handler(void *user, vss_writer *writer, const vss_guid *)
{
    return act(*static_cast<WriterScript *>(user), 8, writer, nullptr);
}

vss_writer_callbacks callbacks()
{
    vss_writer_callbacks table{};
    table.size = sizeof table;
    table.on_identify = identify_handler;
    table.on_prepare_backup = components_handler<1>;
    table.on_prepare_snapshot = plain_handler<2>;
    table.on_freeze = plain_handler<3>;
    table.on_thaw = plain_handler<4>;
    table.on_abort = plain_handler<5>;
    table.on_post_snapshot = components_handler<6>;
    table.on_backup_complete = components_handler<7>;
    table.on_backup_shutdown = shutdown_handler;
    table.on_pre_restore = components_handler<9>;
    table.on_post_restore = components_handler<10>;
    return table;
}

struct World {
    vss_coordinator *coordinator = nullptr;
    std::array<vss_requester *, kSlots> requesters{};
    std::array<vss_async *, kSlots> asyncs{};
    std::array<WriterScript, kSlots> writers{};
    std::string document;

    ~World()
    {
        for (vss_async *&async : asyncs) {
            vss_async_release(async);
        }
        for (vss_requester *&requester : requesters) {
            vss_requester_release(requester);
        }
        for (WriterScript &script : writers) {
            vss_writer_release(script.writer);
        }
        vss_coordinator_release(coordinator);
    }
};

void step(World &world, fuzz::Input &in)
{
    const uint8_t op = in.byte();
    const std::size_t slot = in.byte() % kSlots;
    vss_requester *&requester = world.requesters[slot];
    switch (op % 24) {
    case 0:
        if (requester == nullptr) {
            (void)vss_requester_create(world.coordinator, &requester);
        }
        break;
    case 1:
        // The async first: releasing a requester with a call pending is allowed, but keep slots paired.
        vss_async_release(world.asyncs[slot]);
        world.asyncs[slot] = nullptr;
        vss_requester_release(requester);
        requester = nullptr;
        break;
    case 2:
        (void)vss_requester_initialize_for_backup(requester);
        break;
    case 3:
        (void)vss_requester_set_context(requester, in.i32());
        break;
    case 4: {
        const int32_t select = in.small(), bootable = in.small(), type = in.small(), partial = in.small();
        (void)vss_requester_set_backup_state(requester, select, bootable, type, partial);
        break;
    }
    case 5:
        (void)vss_requester_run(requester, static_cast<vss_step>(in.small()));
        break;
    case 6:
        if (world.asyncs[slot] == nullptr) {
            (void)vss_requester_start(requester, static_cast<vss_step>(in.small()), &world.asyncs[slot]);
        }
        break;
    case 7: {
        vss_hresult status = 0;
        (void)vss_async_wait(world.asyncs[slot], in.byte() % 2 == 0 ? 0 : 0xffffffffu);
        (void)vss_async_status(world.asyncs[slot], &status);
        break;
    }
    case 8:
        (void)vss_async_cancel(world.asyncs[slot]);
        break;
    case 9:
        (void)vss_requester_add_all_components(requester);
        break;
    case 10: {
        const auto instance = in.guid<vss_guid>();
        const auto klass = in.guid<vss_guid>();
        const int32_t type = in.small();
        const std::string path = in.text(), name = in.text();
        (void)vss_requester_add_component(requester, &instance, &klass, type, path.c_str(), name.c_str());
        break;
    }
    case 11: {
        vss_guid set{};
        (void)vss_requester_start_snapshot_set(requester, &set);
        break;
    }
    case 12: {
        vss_guid snapshot{};
        const std::string volume = in.byte() % 2 == 0 ? std::string("C:\\") : in.text();
        (void)vss_requester_add_to_snapshot_set(requester, volume.c_str(), &snapshot);
        break;
    }
    case 13:
        (void)vss_requester_abort(requester);
        break;
    case 14: {
        uint32_t count = 0;
        if (vss_requester_status_count(requester, &count) == S_OK) {
            vss_writer_status status{};
            status.size = in.byte() % 2 == 0 ? sizeof status : in.u32() % 256;
            const uint32_t index = in.u32() % (count + 2);
            if (vss_requester_status(requester, index, &status) == S_OK) {
                vss_writer_status_clear(&status);
            }
        }
        break;
    }
    case 15: {
        vss_writer_identity identity{};
        identity.size = in.byte() % 2 == 0 ? sizeof identity : in.u32() % 256;
        const uint32_t index = in.u32() % 4;
        if (vss_requester_writer_identity(requester, index, &identity) == S_OK) {
            vss_writer_identity_clear(&identity);
        }
        break;
    }
    case 16: {
        char *xml = nullptr;
        if (vss_requester_save_document(requester, &xml) == S_OK) {
            world.document = xml;
            vss_free(xml);
        }
        break;
    }
    case 17: {
        const std::string xml = in.byte() % 2 == 0 ? world.document : in.text();
        (void)vss_requester_initialize_for_restore(requester, xml.c_str());
        break;
    }
    case 18: {
        const auto klass = in.guid<vss_guid>();
        const int32_t type = in.small(), selected = in.small();
        const std::string path = in.text(), name = in.text();
        (void)vss_requester_select_for_restore(requester, &klass, type, path.c_str(), name.c_str(), selected);
        break;
    }
    case 19: {
        WriterScript &script = world.writers[slot];
        if (script.writer != nullptr) {
            break;
        }
        for (uint8_t &action : script.action) {
            action = in.byte();
        }
        script.failure = {in.i32(), in.i32()};
        script.message = in.text();
        const vss_guid klass = in.guid<vss_guid>();
        const std::string name = in.text(), instance = in.text();
        vss_writer_info info{};
        info.size = in.byte() % 4 == 0 ? in.u32() % 128 : sizeof info;
        info.class_id = &klass;
        info.name = name.c_str();
        info.instance_name = in.byte() % 2 == 0 ? nullptr : instance.c_str();
        info.usage = in.small();
        info.source = in.small();
        info.level = in.small();
        info.freeze_timeout_ms = in.u32() % 120000;
        const vss_writer_callbacks table = callbacks();
        if (vss_writer_create(world.coordinator, &info, &table, &script, &script.writer) == S_OK) {
            (void)vss_writer_subscribe(script.writer);
        }
        break;
    }
    case 20:
        (void)vss_writer_unsubscribe(world.writers[slot].writer);
        break;
    case 21:
        vss_writer_release(world.writers[slot].writer);
        world.writers[slot].writer = nullptr;
        break;
    case 22:
        (void)vss_coordinator_advance_clock(world.coordinator, in.u32());
        break;
    case 23: {
        const std::string text = in.text();
        (void)vss_hresult_name(in.i32());
        (void)vss_is_retryable(in.i32());
        const int32_t writer_hr = in.i32(), application_hr = in.i32();
        (void)vss_writer_set_failure_ex(world.writers[slot].writer, writer_hr, application_hr, text.c_str());
        break;
    }
    default:
        break;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, std::size_t size)
{
    fuzz::Input in(data, size);
    World world;
    vss_coordinator_options options{};
    options.size = sizeof options;
    // The simulated clock: a hung or slow writer costs no real time.
    options.virtual_clock = VSS_CLOCK_SIMULATED;
    options.event_timeout_ms = in.u32() % 1000;
    options.workers = in.byte() % 8;
    if (vss_coordinator_create(&options, &world.coordinator) != S_OK) {
        return 0;
    }
    for (int calls = 0; calls < 64 && !in.empty(); ++calls) {
        step(world, in);
    }
    return 0;
}
