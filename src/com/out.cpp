#include "com/out.h"

#include <vector>

namespace vssapi::com {

void give_bstrs(std::initializer_list<BstrOut> outs)
{
    std::vector<Bstr> copies;
    copies.reserve(outs.size());
    for (const BstrOut &one : outs) {
        copies.push_back(one.null_when_empty && one.text.empty() ? Bstr() : Bstr(one.text));
    }
    auto copy = copies.begin();
    for (const BstrOut &one : outs) {
        *one.out = (copy++)->release();
    }
}

} // namespace vssapi::com
