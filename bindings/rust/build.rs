// Links libvssapi, found in this order:
//
// 1. `VSSAPI_LIBRARY`, the full path of libvssapi.so (Meson's test sets it to
//    the library it just built): an explicit choice wins over anything found.
// 2. `pkg-config --libs vssapi` (`PKG_CONFIG` names another pkg-config; it
//    reads `PKG_CONFIG_PATH` and its other variables itself).
// 3. `-lvssapi` on the linker's default path.
//
// The directories of 1 and 2 also go on the rpath, so tests and programs load
// the library they were linked with (pkg-config prints no `-L` for the
// system's own directories, which need none). The pkg-config command is run
// directly: the pkg-config crate is not available offline.
// (Plain comments, not //!: tests/build_script.rs include!s this file.)
use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    for variable in [
        "VSSAPI_LIBRARY",
        "PKG_CONFIG",
        "PKG_CONFIG_PATH",
        "PKG_CONFIG_LIBDIR",
        "PKG_CONFIG_SYSROOT_DIR",
        "PKG_CONFIG_ALLOW_SYSTEM_LIBS",
        "PKG_CONFIG_ALLOW_CROSS",
    ] {
        println!("cargo:rerun-if-env-changed={variable}");
    }
    let rpath = env::var("CARGO_CFG_TARGET_FAMILY").map_or(false, |family| family.split(',').any(|f| f == "unix"));

    for line in lines(rpath) {
        println!("{line}");
    }
}

fn lines(rpath: bool) -> Vec<String> {
    if let Some(library) = env::var_os("VSSAPI_LIBRARY").filter(|value| !value.is_empty()) {
        return library_lines(Path::new(&library), rpath);
    }
    if pkg_config_allowed() {
        if let Some(found) = pkg_config(&pkg_config_command) {
            let mut lines = link_lines(&found.libs, rpath);
            if let Some(pc_file) = found.pc_file {
                lines.push(format!("cargo:rerun-if-changed={}", pc_file.display()));
            }
            return lines;
        }
    }
    vec![String::from("cargo:rustc-link-lib=dylib=vssapi")]
}

/// The lines for an explicit libvssapi.so.
pub(crate) fn library_lines(library: &Path, rpath: bool) -> Vec<String> {
    let dir = library.parent().filter(|dir| !dir.as_os_str().is_empty()).unwrap_or_else(|| Path::new("."));
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let mut lines = vec![
        format!("cargo:rerun-if-changed={}", library.display()),
        format!("cargo:rustc-link-search=native={}", dir.display()),
    ];
    if rpath {
        lines.push(format!("cargo:rustc-link-arg=-Wl,-rpath,{}", dir.display()));
    }
    lines.push(String::from("cargo:rustc-link-lib=dylib=vssapi"));
    lines
}

/// What pkg-config knows of vssapi.
pub(crate) struct Found {
    /// `pkg-config --libs vssapi`.
    pub(crate) libs: String,
    /// The vssapi.pc it read, to rebuild when it changes.
    pub(crate) pc_file: Option<PathBuf>,
}

fn pkg_config_command() -> Command {
    Command::new(
        env::var_os("PKG_CONFIG").filter(|value| !value.is_empty()).unwrap_or_else(|| OsString::from("pkg-config")),
    )
}

/// A cross build would get the build machine's library from a plain
/// pkg-config: only with PKG_CONFIG_ALLOW_CROSS, as the pkg-config crate does.
fn pkg_config_allowed() -> bool {
    let cross = matches!((env::var("HOST"), env::var("TARGET")), (Ok(host), Ok(target)) if host != target);
    !cross || env::var_os("PKG_CONFIG_ALLOW_CROSS").map_or(false, |value| value != "0")
}

/// None when pkg-config is missing or has no vssapi.pc: the caller falls back.
pub(crate) fn pkg_config(command: &dyn Fn() -> Command) -> Option<Found> {
    let run = |args: &[&str]| -> Option<String> {
        let output = command().args(args).arg("vssapi").output().ok()?;
        if !output.status.success() {
            return None;
        }
        String::from_utf8(output.stdout).ok().map(|text| text.trim().to_string())
    };
    let libs = run(&["--libs"])?;
    let pc_file =
        run(&["--variable=pcfiledir"]).filter(|dir| !dir.is_empty()).map(|dir| Path::new(&dir).join("vssapi.pc"));
    Some(Found { libs, pc_file })
}

/// The cargo lines for what `pkg-config --libs` printed: `-L` directories are
/// searched (and on the rpath), `-l` libraries linked, `-Wl,` and `-pthread`
/// passed to the linker, anything else left out with a warning.
pub(crate) fn link_lines(libs: &str, rpath: bool) -> Vec<String> {
    let mut lines = Vec::new();
    let mut linked = false;
    for flag in libs.split_whitespace() {
        if let Some(dir) = flag.strip_prefix("-L").filter(|dir| !dir.is_empty()) {
            lines.push(format!("cargo:rustc-link-search=native={dir}"));
            if rpath {
                lines.push(format!("cargo:rustc-link-arg=-Wl,-rpath,{dir}"));
            }
        } else if let Some(name) = flag.strip_prefix("-l").filter(|name| !name.is_empty()) {
            linked |= name == "vssapi";
            lines.push(format!("cargo:rustc-link-lib=dylib={name}"));
        } else if flag.starts_with("-Wl,") || flag == "-pthread" {
            lines.push(format!("cargo:rustc-link-arg={flag}"));
        } else {
            lines.push(format!("cargo:warning=vssapi: ignored {flag:?} from pkg-config --libs vssapi"));
        }
    }
    if !linked {
        // A vssapi.pc that does not name the library still means it.
        lines.push(String::from("cargo:rustc-link-lib=dylib=vssapi"));
    }
    lines
}
