#include "com/barrier.h"

#include <system_error>

#include "com/hresult.h"

#include <new>

namespace vssapi::com {

HRESULT hresult_from_current_exception() noexcept
{
    try {
        throw;
    } catch (const std::bad_alloc &) {
        return E_OUTOFMEMORY;
    } catch (const std::system_error &error) {
        // No thread could be started (EAGAIN): out of a resource, as Windows reports it.
        return error.code() == std::errc::resource_unavailable_try_again ? E_OUTOFMEMORY : E_UNEXPECTED;
    } catch (const HResultError &error) {
        return error.code();
    } catch (...) {
        return E_UNEXPECTED;
    }
}

} // namespace vssapi::com
