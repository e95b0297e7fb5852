// Interfaces that exist only in tests, shaped like the SDK's: a chain
// (ITestAlpha -> ITestAlphaEx), an unrelated second interface (ITestBeta), and
// the SDK's multiple-inheritance shape (ITestPlainExt : ITestPlain, IUnknown),
// so the COM runtime is proven on every shape before VSS uses it.
#pragma once

#include <vssapi/platform.h>

VSSAPI_DEFINE_GUID(IID_ITestAlpha, 0x6f1d0a01, 0x1111, 0x4a4a, 0x80, 0, 0, 0, 0, 0, 0, 0x01);
VSSAPI_DEFINE_GUID(IID_ITestAlphaEx, 0x6f1d0a02, 0x1111, 0x4a4a, 0x80, 0, 0, 0, 0, 0, 0, 0x02);
VSSAPI_DEFINE_GUID(IID_ITestBeta, 0x6f1d0a03, 0x1111, 0x4a4a, 0x80, 0, 0, 0, 0, 0, 0, 0x03);
VSSAPI_DEFINE_GUID(IID_ITestNobody, 0x6f1d0a04, 0x1111, 0x4a4a, 0x80, 0, 0, 0, 0, 0, 0, 0x04);

struct ITestAlpha : public IUnknown {
    virtual HRESULT STDMETHODCALLTYPE Alpha(int *out) = 0;
};
struct ITestAlphaEx : public ITestAlpha {
    virtual HRESULT STDMETHODCALLTYPE AlphaEx(int *out) = 0;
};
struct ITestBeta : public IUnknown {
    virtual HRESULT STDMETHODCALLTYPE Beta(int *out) = 0;
};
// No IUnknown: like IVssWriterComponents.
struct ITestPlain {
    virtual HRESULT STDMETHODCALLTYPE Plain(int *out) = 0;
};
// Like IVssWriterComponentsExt: two vtable pointers, IUnknown in the second.
struct ITestPlainExt : public ITestPlain, public IUnknown {};
