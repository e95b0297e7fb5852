#include "com/barrier.h"

#include "com/hresult.h"

#include <new>

namespace vssapi::com {

HRESULT hresult_from_current_exception() noexcept
{
    try {
        throw;
    } catch (const std::bad_alloc &) {
        return E_OUTOFMEMORY;
    } catch (const HResultError &error) {
        return error.code();
    } catch (...) {
        return E_UNEXPECTED;
    }
}

} // namespace vssapi::com
