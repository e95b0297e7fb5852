'use strict';
// How the package is installed and how it finds its libraries: by soname
// through the system's loader, beside the installed package, with the
// environment variables only as overrides; and, in the source tree, that
// meson.build installs exactly the files npm packs and the versions agree.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const vss = require('vssapi');

const PACKAGE = path.dirname(require.resolve('vssapi/package.json'));
const MANIFEST = JSON.parse(fs.readFileSync(path.join(PACKAGE, 'package.json'), 'utf8'));
const SOURCE_TREE = fs.existsSync(path.join(PACKAGE, 'meson.build')) ? PACKAGE : null;
const LINUX = process.platform === 'linux';

// The files this process mapped for a library name (Linux: /proc/self/maps).
function mapped(pattern) {
  const files = new Set();
  for (const line of fs.readFileSync('/proc/self/maps', 'utf8').split('\n')) {
    const file = line.split(/\s+/).slice(5).join(' ');
    if (pattern.test(path.basename(file))) {
      files.add(file);
    }
  }
  return [...files];
}

// The library and helper files this process loaded, whichever way it found them.
function loadedFiles() {
  const [library] = mapped(/^libvssapi\.so(\.|$)/);
  const [helper] = mapped(/^libvssapi_node\.so$/);
  assert.ok(library && helper, 'cannot find the loaded libraries in /proc/self/maps');
  return { library, helper };
}

// Runs a fresh node that loads `packageDir` with only `env` (and PATH, HOME);
// prints what it loaded. Returns { status, out, err }.
function loadIn(packageDir, env) {
  const script = `
    const v = require(${JSON.stringify(packageDir)});
    const maps = require('node:fs').readFileSync('/proc/self/maps', 'utf8');
    const real = (name) => maps.split('\\n').map((l) => l.split(/\\s+/).slice(5).join(' '))
      .find((f) => require('node:path').basename(f).startsWith(name)) ?? null;
    console.log(JSON.stringify({ library: v.libraryPath, helper: v.helperPath,
      realLibrary: real('libvssapi.so'), realHelper: real('libvssapi_node.so'), version: v.version() }));`;
  const run = spawnSync(process.execPath, ['-e', script], {
    env: { PATH: process.env.PATH, HOME: os.tmpdir(), ...env },
    encoding: 'utf8',
    timeout: 60000,
  });
  return { status: run.status, out: run.status === 0 ? JSON.parse(run.stdout) : null, err: run.stderr };
}

// A folder holding the two libraries under their sonames (symbolic links to the loaded files).
function libraryFolder(root, name = 'lib') {
  const folder = path.join(root, name);
  fs.mkdirSync(folder, { recursive: true });
  const { library, helper } = loadedFiles();
  fs.symlinkSync(library, path.join(folder, 'libvssapi.so.1'));
  fs.symlinkSync(helper, path.join(folder, 'libvssapi_node.so'));
  return folder;
}

// A copy of the package as npm installs it (lib/, package.json, koffi beside it).
function packageCopy(root) {
  const copy = path.join(root, 'node_modules', 'vssapi');
  fs.mkdirSync(path.join(copy, 'lib'), { recursive: true });
  for (const file of fs.readdirSync(path.join(PACKAGE, 'lib'))) {
    if (file !== 'install.json') {
      fs.copyFileSync(path.join(PACKAGE, 'lib', file), path.join(copy, 'lib', file));
    }
  }
  fs.copyFileSync(path.join(PACKAGE, 'package.json'), path.join(copy, 'package.json'));
  fs.symlinkSync(koffiFolder(PACKAGE), path.join(root, 'node_modules', 'koffi'), 'dir');
  return copy;
}

// The folder of the koffi the package uses (its package.json is not exported).
function koffiFolder(from) {
  let folder = path.dirname(require.resolve('koffi', { paths: [from] }));
  while (!fs.existsSync(path.join(folder, 'package.json'))) {
    folder = path.dirname(folder);
  }
  return folder;
}

function withTemp(body) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vssapi-node-pkg-'));
  try {
    return body(root);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

// Whether the system's loader finds libvssapi.so.1 with no help (an installed openvss).
function systemHasLibrary() {
  return withTemp((root) => loadIn(packageCopy(root), {}).status === 0);
}

test('the library and the helper are found by soname through the loader (LD_LIBRARY_PATH)', { skip: !LINUX }, () => {
  withTemp((root) => {
    const folder = libraryFolder(root);
    const { status, out, err } = loadIn(PACKAGE, { LD_LIBRARY_PATH: folder });
    assert.equal(status, 0, err);
    assert.equal(out.library, 'libvssapi.so.1');
    assert.equal(out.helper, 'libvssapi_node.so');
    const { library, helper } = loadedFiles();
    assert.equal(out.realLibrary, library); // the file behind the link in LD_LIBRARY_PATH's folder
    assert.equal(out.realHelper, helper);
    assert.equal(out.version, vss.version());
  });
});

test('VSSAPI_LIBRARY and VSSAPI_NODE_HELPER override, with no fallback when they are wrong', { skip: !LINUX }, () => {
  withTemp((root) => {
    const folder = libraryFolder(root);
    const missing = path.join(root, 'nowhere', 'libvssapi.so.1');
    const badLibrary = loadIn(PACKAGE, { LD_LIBRARY_PATH: folder, VSSAPI_LIBRARY: missing });
    assert.notEqual(badLibrary.status, 0);
    assert.match(badLibrary.err, /cannot load the library; VSSAPI_LIBRARY names a file that does not load/);
    assert.ok(badLibrary.err.includes(missing), badLibrary.err);
    const badHelper = loadIn(PACKAGE, { LD_LIBRARY_PATH: folder, VSSAPI_NODE_HELPER: missing });
    assert.notEqual(badHelper.status, 0);
    assert.match(badHelper.err, /VSSAPI_NODE_HELPER names a file that does not load/);

    const { library, helper } = loadedFiles();
    const explicit = loadIn(PACKAGE, { VSSAPI_LIBRARY: library, VSSAPI_NODE_HELPER: helper });
    assert.equal(explicit.status, 0, explicit.err);
    assert.equal(explicit.out.library, library);
    assert.equal(explicit.out.helper, helper);
    // VSSAPI_LIBRARY alone: the helper beside it is taken before the loader's.
    const beside = libraryFolder(root, 'beside');
    const alone = loadIn(PACKAGE, { VSSAPI_LIBRARY: path.join(beside, 'libvssapi.so.1'), LD_LIBRARY_PATH: folder });
    assert.equal(alone.status, 0, alone.err);
    assert.equal(alone.out.helper, path.join(beside, 'libvssapi_node.so'));
  });
});

test('beside the installed package: the libdir meson install recorded, then the package\'s native/', { skip: !LINUX }, (t) => {
  if (systemHasLibrary()) {
    t.skip('the system\'s loader finds a libvssapi.so.1 of its own (openvss is installed): it would be taken first');
    return;
  }
  withTemp((root) => {
    const copy = packageCopy(root);
    const nothing = loadIn(copy, {});
    assert.notEqual(nothing.status, 0);
    assert.match(nothing.err, /cannot load the library; install openvss .*LD_LIBRARY_PATH.*VSSAPI_LIBRARY/);
    assert.ok(nothing.err.includes('libvssapi.so.1:'), nothing.err);
    assert.ok(nothing.err.includes(path.join(copy, 'native', 'libvssapi.so.1')), nothing.err);

    const libdir = libraryFolder(root, 'prefix-lib');
    fs.writeFileSync(path.join(copy, 'lib', 'install.json'), JSON.stringify({ libdir }));
    const installed = loadIn(copy, {});
    assert.equal(installed.status, 0, installed.err);
    assert.equal(installed.out.library, path.join(libdir, 'libvssapi.so.1'));
    assert.equal(installed.out.helper, path.join(libdir, 'libvssapi_node.so'));
    // The loader comes first: with LD_LIBRARY_PATH the recorded folder is not used.
    const loaderFolder = libraryFolder(root, 'loader');
    const byLoader = loadIn(copy, { LD_LIBRARY_PATH: loaderFolder });
    assert.equal(byLoader.status, 0, byLoader.err);
    assert.equal(byLoader.out.library, 'libvssapi.so.1');
    assert.equal(byLoader.out.helper, 'libvssapi_node.so');

    fs.rmSync(path.join(copy, 'lib', 'install.json'));
    const native = libraryFolder(copy, 'native');
    const inPackage = loadIn(copy, {});
    assert.equal(inPackage.status, 0, inPackage.err);
    assert.equal(inPackage.out.library, path.join(native, 'libvssapi.so.1'));
    assert.equal(inPackage.out.helper, path.join(native, 'libvssapi_node.so'));
  });
});

test('the library found but no helper: the error names the helper and how to point at it', { skip: !LINUX }, (t) => {
  if (systemHasLibrary()) {
    t.skip('the system\'s loader finds openvss\'s own libraries');
    return;
  }
  withTemp((root) => {
    const folder = path.join(root, 'only-library');
    fs.mkdirSync(folder);
    fs.symlinkSync(loadedFiles().library, path.join(folder, 'libvssapi.so.1'));
    const run = loadIn(packageCopy(root), { LD_LIBRARY_PATH: folder });
    assert.notEqual(run.status, 0);
    assert.match(run.err, /cannot load the binding's helper; it is libvssapi_node\.so, installed beside libvssapi/);
    assert.match(run.err, /VSSAPI_NODE_HELPER/);
  });
});

// Every file under the package's "files" entries, relative to the package.
function packedFiles(root, manifest) {
  const files = ['package.json'];
  const walk = (relative) => {
    const full = path.join(root, relative);
    if (fs.statSync(full).isDirectory()) {
      for (const entry of fs.readdirSync(full)) {
        walk(path.join(relative, entry));
      }
    } else {
      files.push(relative.split(path.sep).join('/'));
    }
  };
  for (const entry of manifest.files) {
    walk(entry.replace(/\/$/, ''));
  }
  return files.sort();
}

// What bindings/node/meson.build installs into the package's folder: relative paths.
function mesonInstalled(text) {
  const installed = [];
  const call = /install_data\(([^)]*)\)/g;
  for (let match; (match = call.exec(text)) !== null;) {
    const args = match[1];
    const where = /install_dir:\s*node_package_dir((?:\s*\/\s*'[^']*')*)/.exec(args);
    if (!where) {
      continue;
    }
    const sub = [...where[1].matchAll(/'([^']*)'/g)].map((m) => m[1]);
    const names = [...args.slice(0, args.indexOf('install_dir')).matchAll(/'([^']+)'/g)].map((m) => m[1]);
    for (const name of names) {
      installed.push([...sub, path.basename(name)].join('/'));
      assert.equal(path.posix.dirname(name) === '.' ? '' : path.posix.dirname(name), sub.join('/'),
        `${name} is installed into ${sub.join('/') || 'the package folder'}, not beside its place in the package`);
    }
  }
  const configured = /configure_file\(input:\s*'([^']+)',\s*output:\s*'([^']+)'[^)]*install_dir:\s*node_package_dir((?:\s*\/\s*'[^']*')*)/s
    .exec(text);
  return { installed: installed.sort(), configured };
}

test('meson.build installs every file npm packs, where the package has it', { skip: SOURCE_TREE === null }, () => {
  const text = fs.readFileSync(path.join(SOURCE_TREE, 'meson.build'), 'utf8');
  const { installed, configured } = mesonInstalled(text);
  assert.deepEqual(installed, packedFiles(SOURCE_TREE, MANIFEST));
  assert.match(text, /node_package_dir = get_option\('datadir'\) \/ 'openvss' \/ 'node' \/ 'vssapi'/);
  const helper = text.slice(text.indexOf('shared_library(\'vssapi_node\''));
  assert.match(helper.slice(0, helper.indexOf('\n)\n')), /\n\s*install: true,\s*install_dir: get_option\('libdir'\),/);
  // lib/install.json, which the binding reads, comes from install.json.in.
  assert.ok(configured, 'meson.build does not configure install.json');
  assert.equal(configured[2], 'install.json');
  assert.deepEqual([...configured[3].matchAll(/'([^']*)'/g)].map((m) => m[1]), ['lib']);
  const template = fs.readFileSync(path.join(SOURCE_TREE, configured[1]), 'utf8');
  assert.deepEqual(JSON.parse(template.replace('@LIBDIR@', '/usr/lib/x86_64-linux-gnu')),
    { libdir: '/usr/lib/x86_64-linux-gnu' });
  assert.match(fs.readFileSync(path.join(SOURCE_TREE, 'lib', 'native.js'), 'utf8'), /'install\.json'/);
});

test('the package\'s version is the project\'s; koffi is the version installed and locked', { skip: SOURCE_TREE === null }, () => {
  const project = fs.readFileSync(path.join(SOURCE_TREE, '..', '..', 'meson.build'), 'utf8');
  const version = /project\('openvss',[^)]*?version:\s*'([^']+)'/s.exec(project)[1];
  assert.equal(MANIFEST.version, version);
  assert.equal(vss.version(), version);
  const lock = JSON.parse(fs.readFileSync(path.join(SOURCE_TREE, 'package-lock.json'), 'utf8'));
  assert.equal(lock.version, MANIFEST.version);
  assert.equal(lock.packages[''].dependencies.koffi, MANIFEST.dependencies.koffi);
  const koffi = JSON.parse(fs.readFileSync(path.join(koffiFolder(SOURCE_TREE), 'package.json'), 'utf8'));
  assert.equal(koffi.version, MANIFEST.dependencies.koffi);
});

test('main, types and everything lib/ requires are in the packed files', () => {
  const packed = new Set(packedFiles(PACKAGE, MANIFEST).filter((file) => file !== 'lib/install.json'));
  assert.ok(packed.has(MANIFEST.main), MANIFEST.main);
  assert.ok(packed.has(MANIFEST.types), MANIFEST.types);
  for (const file of [...packed].filter((f) => f.startsWith('lib/') && f.endsWith('.js'))) {
    const text = fs.readFileSync(path.join(PACKAGE, file), 'utf8');
    for (const [, target] of text.matchAll(/require\('(\.[^']+)'\)/g)) {
      const resolved = path.posix.join(path.posix.dirname(file), target);
      assert.ok(packed.has(resolved) || packed.has(`${resolved}.js`), `${file} requires ${target}, which is not packed`);
    }
    for (const [, dependency] of text.matchAll(/require\('([^.'][^']*)'\)/g)) {
      assert.ok(dependency.startsWith('node:') || dependency in MANIFEST.dependencies,
        `${file} requires ${dependency}, which is not a dependency`);
    }
  }
});
