// The COM runtime: reference counting, QueryInterface tables and identity,
// multiple-inheritance interfaces, and caller bugs on released objects.
#include "com/object.h"
#include "support/test_interfaces.h"

#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace {

using vssapi::com::ComObject;
using vssapi::com::InterfaceEntry;
using vssapi::com::interface_cast;

std::atomic<int> g_final_releases{0};

class AlphaBeta final : public ComObject<AlphaBeta, ITestAlphaEx, ITestBeta> {
public:
    static gsl::span<const InterfaceEntry> interface_table() noexcept
    {
        static constexpr InterfaceEntry table[] = {
            {&IID_ITestAlphaEx, "ITestAlphaEx", &interface_cast<AlphaBeta, ITestAlphaEx>},
            {&IID_ITestAlpha, "ITestAlpha", &interface_cast<AlphaBeta, ITestAlphaEx>},
            {&IID_ITestBeta, "ITestBeta", &interface_cast<AlphaBeta, ITestBeta>},
        };
        return table;
    }
    HRESULT STDMETHODCALLTYPE Alpha(int *out) noexcept override
    {
        VSSAPI_CHECK_ALIVE();
        *out = 1;
        return S_OK;
    }
    HRESULT STDMETHODCALLTYPE AlphaEx(int *out) noexcept override
    {
        VSSAPI_CHECK_ALIVE();
        *out = 2;
        return S_OK;
    }
    HRESULT STDMETHODCALLTYPE Beta(int *out) noexcept override
    {
        VSSAPI_CHECK_ALIVE();
        *out = 3;
        return S_OK;
    }
    void on_final_release() noexcept { g_final_releases.fetch_add(1); }
};

class PlainExt final : public ComObject<PlainExt, ITestPlainExt> {
public:
    static gsl::span<const InterfaceEntry> interface_table() noexcept
    {
        static constexpr InterfaceEntry table[] = {
            {&IID_ITestAlpha, "ITestPlainExt", &interface_cast<PlainExt, ITestPlainExt>},
        };
        return table;
    }
    HRESULT STDMETHODCALLTYPE Plain(int *out) noexcept override
    {
        VSSAPI_CHECK_ALIVE();
        *out = 4;
        return S_OK;
    }
};

struct MisuseLog {
    static inline std::atomic<int> count{0};
    static inline std::string last_interface;
    static void record(const char *interface_name, const char *) noexcept
    {
        count.fetch_add(1);
        last_interface = interface_name;
    }
};

} // namespace

TEST_SUITE("com") {

TEST_CASE("COM object starts with one reference and frees itself at zero")
{
    const int before = g_final_releases.load();
    auto *object = new AlphaBeta;
    CHECK(object->debug_ref_count() == 1);
    CHECK(object->AddRef() == 2);
    CHECK(object->Release() == 1);
    CHECK(g_final_releases.load() == before);
    CHECK(object->Release() == 0);
    CHECK(g_final_releases.load() == before + 1);
}

TEST_CASE("COM refcount stays exact under 8 threads hammering AddRef/Release")
{
    const int before = g_final_releases.load();
    auto *object = new AlphaBeta;
    ITestAlpha *alpha = object;
    ITestBeta *beta = object;
    constexpr int kThreads = 8;
    constexpr int kRounds = 50000;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kRounds; ++i) {
                // Alternate interfaces: all share one count.
                if ((i + t) % 2 == 0) {
                    alpha->AddRef();
                    alpha->Release();
                } else {
                    beta->AddRef();
                    beta->AddRef();
                    beta->Release();
                    beta->Release();
                }
            }
        });
    }
    for (auto &thread : threads) {
        thread.join();
    }
    CHECK(object->debug_ref_count() == 1);
    CHECK(g_final_releases.load() == before);
    CHECK(alpha->Release() == 0);
    CHECK(g_final_releases.load() == before + 1);
}

TEST_CASE("COM QueryInterface follows the table and the identity rules")
{
    auto *object = new AlphaBeta;
    ITestAlphaEx *alpha_ex = object;

    SUBCASE("QI for IUnknown always gives the same pointer, from any interface")
    {
        IUnknown *from_alpha = nullptr;
        IUnknown *from_beta = nullptr;
        ITestBeta *beta = nullptr;
        REQUIRE(alpha_ex->QueryInterface(IID_IUnknown, reinterpret_cast<void **>(&from_alpha)) == S_OK);
        REQUIRE(alpha_ex->QueryInterface(IID_ITestBeta, reinterpret_cast<void **>(&beta)) == S_OK);
        REQUIRE(beta->QueryInterface(IID_IUnknown, reinterpret_cast<void **>(&from_beta)) == S_OK);
        CHECK(from_alpha == from_beta);
        CHECK(static_cast<void *>(beta) != static_cast<void *>(alpha_ex));
        CHECK(object->debug_ref_count() == 4);
        from_alpha->Release();
        from_beta->Release();
        beta->Release();
    }
    SUBCASE("every interface of a chain answers with the most derived pointer")
    {
        void *as_alpha = nullptr;
        void *as_alpha_ex = nullptr;
        REQUIRE(alpha_ex->QueryInterface(IID_ITestAlpha, &as_alpha) == S_OK);
        REQUIRE(alpha_ex->QueryInterface(IID_ITestAlphaEx, &as_alpha_ex) == S_OK);
        CHECK(as_alpha == as_alpha_ex);
        int value = 0;
        CHECK(static_cast<ITestAlphaEx *>(as_alpha_ex)->AlphaEx(&value) == S_OK);
        CHECK(value == 2);
        static_cast<IUnknown *>(static_cast<ITestAlpha *>(as_alpha))->Release();
        static_cast<IUnknown *>(static_cast<ITestAlphaEx *>(as_alpha_ex))->Release();
    }
    SUBCASE("QI is reflexive, symmetric and transitive")
    {
        ITestBeta *beta = nullptr;
        ITestAlphaEx *back = nullptr;
        ITestAlphaEx *self = nullptr;
        REQUIRE(alpha_ex->QueryInterface(IID_ITestAlphaEx, reinterpret_cast<void **>(&self)) == S_OK);
        REQUIRE(alpha_ex->QueryInterface(IID_ITestBeta, reinterpret_cast<void **>(&beta)) == S_OK);
        REQUIRE(beta->QueryInterface(IID_ITestAlphaEx, reinterpret_cast<void **>(&back)) == S_OK);
        CHECK(self == alpha_ex);
        CHECK(back == alpha_ex);
        self->Release();
        beta->Release();
        back->Release();
    }
    SUBCASE("an unknown IID gives E_NOINTERFACE and NULL, and takes no reference")
    {
        void *out = reinterpret_cast<void *>(0xdeadbeef);
        CHECK(alpha_ex->QueryInterface(IID_ITestNobody, &out) == E_NOINTERFACE);
        CHECK(out == nullptr);
        CHECK(object->debug_ref_count() == 1);
    }
    SUBCASE("a NULL out-pointer gives E_POINTER")
    {
        CHECK(alpha_ex->QueryInterface(IID_ITestAlpha, nullptr) == E_POINTER);
        CHECK(object->debug_ref_count() == 1);
    }
    CHECK(object->debug_ref_count() == 1);
    alpha_ex->Release();
}

TEST_CASE("C-1.2 multiple-inheritance interface keeps its second vtable pointer")
{
    auto *object = new PlainExt;
    ITestPlainExt *ext = object;
    // The IUnknown part is the second vtable pointer, one pointer further on.
    auto *unknown = static_cast<IUnknown *>(ext);
    CHECK(reinterpret_cast<char *>(unknown) - reinterpret_cast<char *>(ext) ==
          static_cast<std::ptrdiff_t>(sizeof(void *)));
    IUnknown *identity = nullptr;
    REQUIRE(unknown->QueryInterface(IID_IUnknown, reinterpret_cast<void **>(&identity)) == S_OK);
    CHECK(identity == unknown);
    identity->Release();
    int value = 0;
    CHECK(ext->Plain(&value) == S_OK);
    CHECK(value == 4);
    CHECK(ext->Release() == 0);
}

TEST_CASE("C-6.3 Release below zero and calls on a released object are reported with the interface name")
{
    const auto previous = vssapi::com::set_misuse_handler(&MisuseLog::record);
    const int before = MisuseLog::count.load();
    auto *object = new AlphaBeta;
    ITestAlphaEx *alpha_ex = object;
    CHECK(alpha_ex->Release() == 0);

    CHECK(alpha_ex->Release() == 0);
    CHECK(MisuseLog::count.load() == before + 1);
    CHECK(MisuseLog::last_interface == "ITestAlphaEx");

    CHECK(alpha_ex->AddRef() == 0);
    int value = 0;
    CHECK(alpha_ex->AlphaEx(&value) == E_UNEXPECTED);
    CHECK(value == 0);
    void *out = nullptr;
    CHECK(alpha_ex->QueryInterface(IID_ITestBeta, &out) == E_UNEXPECTED);
    CHECK(out == nullptr);
    CHECK(MisuseLog::count.load() == before + 4);
    vssapi::com::set_misuse_handler(previous);
}

TEST_CASE("C-6.3 a released object stays a tombstone for the whole quarantine, then is freed")
{
    const auto previous = vssapi::com::set_misuse_handler(&MisuseLog::record);
    auto *first = new AlphaBeta;
    first->Release();
    // Fewer releases than the quarantine holds: `first` must still answer.
    for (std::size_t i = 0; i + 1 < vssapi::com::kQuarantineSize; ++i) {
        (new AlphaBeta)->Release();
    }
    const int before = MisuseLog::count.load();
    int value = 0;
    CHECK(first->Alpha(&value) == E_UNEXPECTED);
    CHECK(MisuseLog::count.load() == before + 1);
    vssapi::com::set_misuse_handler(previous);
}

} // TEST_SUITE
