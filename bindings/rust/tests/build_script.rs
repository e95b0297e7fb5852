//! build.rs's pkg-config route: the flags it turns into cargo lines, and the
//! real pkg-config command reading a vssapi.pc from PKG_CONFIG_PATH.
use std::path::{Path, PathBuf};
use std::process::Command;

// build.rs's functions, `main` included (never called here).
#[allow(dead_code)]
mod build_script {
    include!("../build.rs");
}

use build_script::{library_lines, link_lines, pkg_config};

#[test]
fn pkg_config_flags_become_search_rpath_and_link_lines() {
    assert_eq!(
        link_lines("-L/opt/openvss/lib -lvssapi", true),
        [
            "cargo:rustc-link-search=native=/opt/openvss/lib",
            "cargo:rustc-link-arg=-Wl,-rpath,/opt/openvss/lib",
            "cargo:rustc-link-lib=dylib=vssapi",
        ]
    );
    assert_eq!(
        link_lines("-L/opt/openvss/lib -lvssapi", false),
        ["cargo:rustc-link-search=native=/opt/openvss/lib", "cargo:rustc-link-lib=dylib=vssapi"]
    );
    // An installed library in a system directory: pkg-config prints no -L.
    assert_eq!(link_lines("-lvssapi\n", true), ["cargo:rustc-link-lib=dylib=vssapi"]);
    assert_eq!(
        link_lines("-Wl,--as-needed -pthread -lvssapi -lstdc++ -fstack-protector", false),
        [
            "cargo:rustc-link-arg=-Wl,--as-needed",
            "cargo:rustc-link-arg=-pthread",
            "cargo:rustc-link-lib=dylib=vssapi",
            "cargo:rustc-link-lib=dylib=stdc++",
            "cargo:warning=vssapi: ignored \"-fstack-protector\" from pkg-config --libs vssapi",
        ]
    );
    // A .pc without -lvssapi still links it, once.
    assert_eq!(link_lines("", false), ["cargo:rustc-link-lib=dylib=vssapi"]);
}

#[test]
fn an_explicit_library_is_searched_in_its_directory() {
    let dir = std::env::temp_dir().canonicalize().unwrap();
    let library = dir.join("libvssapi.so");
    assert_eq!(
        library_lines(&library, true),
        [
            format!("cargo:rerun-if-changed={}", library.display()),
            format!("cargo:rustc-link-search=native={}", dir.display()),
            format!("cargo:rustc-link-arg=-Wl,-rpath,{}", dir.display()),
            String::from("cargo:rustc-link-lib=dylib=vssapi"),
        ]
    );
}

fn has_pkg_config() -> bool {
    Command::new("pkg-config").arg("--version").output().map_or(false, |output| output.status.success())
}

/// A fresh folder holding a vssapi.pc whose libdir is `libdir`.
fn fake_pc_dir(libdir: &Path) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vssapi-build-script-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pc = format!(
        "prefix=/nowhere\nlibdir={}\nincludedir=${{prefix}}/include\n\nName: vssapi\nDescription: test\n\
         Version: 0.1.0\nLibs: -L${{libdir}} -lvssapi\nCflags: -I${{includedir}}/openvss\n",
        libdir.display()
    );
    std::fs::write(dir.join("vssapi.pc"), pc).unwrap();
    dir
}

#[test]
fn pkg_config_reads_vssapi_pc_from_pkg_config_path() {
    if !has_pkg_config() {
        // The route cannot be taken at all without the command; build.rs falls back.
        eprintln!("pkg-config is not installed: only the fallback is possible here");
        return;
    }
    let libdir = Path::new("/opt/vssapi-test/lib");
    let dir = fake_pc_dir(libdir);
    let with_path = || {
        let mut command = Command::new("pkg-config");
        command.env("PKG_CONFIG_PATH", &dir).env_remove("PKG_CONFIG_LIBDIR").env_remove("PKG_CONFIG_SYSROOT_DIR");
        command
    };
    let found = pkg_config(&with_path).expect("pkg-config found the fake vssapi.pc");
    assert_eq!(found.libs, "-L/opt/vssapi-test/lib -lvssapi");
    assert_eq!(found.pc_file.as_deref(), Some(dir.join("vssapi.pc").as_path()));
    assert_eq!(
        link_lines(&found.libs, true),
        [
            "cargo:rustc-link-search=native=/opt/vssapi-test/lib",
            "cargo:rustc-link-arg=-Wl,-rpath,/opt/vssapi-test/lib",
            "cargo:rustc-link-lib=dylib=vssapi",
        ]
    );

    // Without it on the path (and no system vssapi.pc in an empty libdir), nothing: the fallback.
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let nowhere = || {
        let mut command = Command::new("pkg-config");
        command.env("PKG_CONFIG_LIBDIR", &empty).env_remove("PKG_CONFIG_PATH");
        command
    };
    assert!(pkg_config(&nowhere).is_none());
    std::fs::remove_dir_all(&dir).unwrap();
}
