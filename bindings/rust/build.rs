//! Links libvssapi. VSSAPI_LIBRARY, when set, is the full path of libvssapi.so
//! (Meson sets it to the library it just built): its directory goes on the
//! link search path and on the rpath, so tests and examples find it at run
//! time. Without it, the system's libvssapi.so is linked by name.
use std::env;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-env-changed=VSSAPI_LIBRARY");
    println!("cargo:rerun-if-changed=build.rs");
    if let Some(library) = env::var_os("VSSAPI_LIBRARY").filter(|value| !value.is_empty()) {
        let library = Path::new(&library);
        let dir = library.parent().filter(|dir| !dir.as_os_str().is_empty()).unwrap_or_else(|| Path::new("."));
        let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        println!("cargo:rerun-if-changed={}", library.display());
        println!("cargo:rustc-link-search=native={}", dir.display());
        println!("cargo:rustc-link-arg=-Wl,-rpath,{}", dir.display());
    }
    println!("cargo:rustc-link-lib=dylib=vssapi");
}
