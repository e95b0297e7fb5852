'use strict';
// The TypeScript declarations (package.json "types") against what the package
// really exports: every name, every public member of its classes, every key
// and value of its constants; and, when a TypeScript compiler is at hand
// (TSC=path, or tsc on PATH), a strict compile of a program that uses them.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, spawnSync } = require('node:child_process');
const vss = require('vssapi');

const PACKAGE = path.dirname(require.resolve('vssapi/package.json'));
const MANIFEST = JSON.parse(fs.readFileSync(path.join(PACKAGE, 'package.json'), 'utf8'));
const DECLARATIONS = path.join(PACKAGE, MANIFEST.types);

// The text without comments (string literals kept as they are).
function stripComments(text) {
  let out = '';
  for (let i = 0; i < text.length;) {
    const c = text[i];
    if (c === '"' || c === '\'' || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) {
        j += text[j] === '\\' ? 2 : 1;
      }
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (text.startsWith('//', i)) {
      i = text.indexOf('\n', i);
      i = i < 0 ? text.length : i;
    } else if (text.startsWith('/*', i)) {
      i = text.indexOf('*/', i + 2) + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

// Splits a body at the separators that stand outside (), {} and [].
function splitTopLevel(body, separator) {
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if ('({['.includes(c)) {
      depth++;
    } else if (')}]'.includes(c)) {
      depth--;
    } else if (c === separator && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

// The text between the brace at `open` and its match.
function braced(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') {
      depth++;
    } else if (text[i] === '}' && --depth === 0) {
      return text.slice(open + 1, i);
    }
  }
  throw new Error(`unbalanced braces from offset ${open}`);
}

// { kind, name, ... } for every top-level `export` of the declarations.
function parseDeclarations(text) {
  const code = stripComments(text);
  const declared = new Map();
  const pattern = /^export\s+(?:declare\s+)?(const|function|class|interface|type)\s+(\w+)/gm;
  for (let match; (match = pattern.exec(code)) !== null;) {
    const [, kind, name] = match;
    const entry = { kind, name, at: match.index };
    if (kind === 'class' || kind === 'const') {
      const open = code.indexOf('{', match.index);
      const end = code.indexOf(kind === 'class' ? '{' : ';', match.index);
      if (kind === 'class' || open <= end) {
        entry.body = braced(code, open);
        entry.header = code.slice(match.index, open);
      }
    }
    if (kind === 'function') {
      const open = code.indexOf('(', match.index);
      let depth = 0;
      let close = open;
      for (; close < code.length; close++) {
        depth += code[close] === '(' ? 1 : code[close] === ')' ? -1 : 0;
        if (depth === 0) {
          break;
        }
      }
      entry.parameters = splitTopLevel(code.slice(open + 1, close), ',');
    }
    if (declared.has(name) && !['interface', 'class'].includes(kind) && !['interface', 'class'].includes(declared.get(name).kind)) {
      throw new Error(`${name} is declared twice`);
    }
    declared.set(name, kind === 'interface' && declared.has(name) ? declared.get(name) : entry);
  }
  return declared;
}

// The members of a class body: { name, isStatic, isMethod, isPrivate }.
function classMembers(body) {
  return splitTopLevel(body, ';').map((member) => {
    const match = /^((?:(?:static|readonly|private|protected|public)\s+)*)(\[Symbol\.\w+\]|\w+)\s*(\??)\s*([(:<])?/.exec(member);
    if (!match) {
      throw new Error(`cannot read the member: ${member}`);
    }
    return {
      name: match[2],
      isStatic: /\bstatic\b/.test(match[1]),
      isPrivate: /\b(private|protected)\b/.test(match[1]),
      isMethod: match[4] === '(' || match[4] === '<',
      text: member,
    };
  });
}

// KEY -> value of a `const X: { readonly KEY: VALUE; ... }` body.
function constantValues(body) {
  const values = {};
  for (const member of splitTopLevel(body, ';')) {
    const match = /^readonly\s+(\w+)\s*:\s*(.+)$/s.exec(member);
    if (!match) {
      throw new Error(`cannot read the constant: ${member}`);
    }
    values[match[1]] = /^0x[0-9a-f]+$/i.test(match[2]) ? Number(match[2]) : JSON.parse(match[2]);
  }
  return values;
}

const declared = parseDeclarations(fs.readFileSync(DECLARATIONS, 'utf8'));
const RUNTIME_KINDS = new Set(['const', 'function', 'class']);
const isClass = (value) => typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value));
const SYMBOLS = new Map([[Symbol.iterator, '[Symbol.iterator]'], [Symbol.asyncIterator, '[Symbol.asyncIterator]'],
  [Symbol.dispose, '[Symbol.dispose]'], [Symbol.asyncDispose, '[Symbol.asyncDispose]']]);

test('package.json names the declarations as "types" and in exports, and packs them', () => {
  assert.equal(typeof MANIFEST.types, 'string');
  assert.ok(fs.existsSync(DECLARATIONS), `${MANIFEST.types} is missing`);
  assert.equal(MANIFEST.exports['.'].types, `./${MANIFEST.types}`);
  assert.equal(Object.keys(MANIFEST.exports['.'])[0], 'types'); // TypeScript reads the first condition that matches
  assert.equal(MANIFEST.exports['.'].default, `./${MANIFEST.main}`);
  assert.ok(MANIFEST.files.some((entry) => MANIFEST.types === entry || MANIFEST.types.startsWith(entry)),
    `"files" does not hold ${MANIFEST.types}`);
});

test('every name the package exports is declared, and nothing else is', () => {
  const exported = Object.keys(vss);
  const missing = exported.filter((name) => !declared.has(name) || !RUNTIME_KINDS.has(declared.get(name).kind));
  assert.deepEqual(missing, [], `exported but not declared: ${missing.join(', ')}`);
  const stale = [...declared.values()].filter((d) => RUNTIME_KINDS.has(d.kind) && !(d.name in vss)).map((d) => d.name);
  assert.deepEqual(stale, [], `declared but not exported: ${stale.join(', ')}`);
  for (const name of exported) {
    const { kind } = declared.get(name);
    const value = vss[name];
    const actual = isClass(value) ? 'class' : typeof value === 'function' ? 'function' : 'const';
    assert.equal(kind, actual, `${name} is declared as a ${kind} but is a ${actual}`);
  }
});

test('every public member of every exported class is declared, and every declared method exists', () => {
  for (const [name, value] of Object.entries(vss)) {
    if (!isClass(value)) {
      continue;
    }
    const entry = declared.get(name);
    const members = classMembers(entry.body);
    const instance = new Set(members.filter((m) => !m.isStatic).map((m) => m.name));
    const statics = new Set(members.filter((m) => m.isStatic).map((m) => m.name));
    const runtime = [
      ...Object.getOwnPropertyNames(value.prototype).filter((n) => n !== 'constructor' && !n.startsWith('_')),
      ...Object.getOwnPropertySymbols(value.prototype).map((s) => SYMBOLS.get(s) ?? String(s)),
    ];
    const undeclared = runtime.filter((member) => !instance.has(member));
    assert.deepEqual(undeclared, [], `${name}: not declared: ${undeclared.join(', ')}`);
    const runtimeStatics = Object.getOwnPropertyNames(value)
      .filter((n) => !['length', 'name', 'prototype'].includes(n) && !n.startsWith('_'));
    assert.deepEqual(runtimeStatics.filter((member) => !statics.has(member)), [], `${name}: statics not declared`);
    for (const member of members) {
      if (member.name === 'constructor' || member.isPrivate) {
        continue;
      }
      const holder = member.isStatic ? value : value.prototype;
      if (member.isMethod) {
        const key = member.name.startsWith('[Symbol.') ? Symbol[member.name.slice(8, -1)] : member.name;
        let owner = holder;
        while (owner !== null && !Object.hasOwn(owner, key)) {
          owner = Object.getPrototypeOf(owner);
        }
        assert.ok(owner !== null && typeof Object.getOwnPropertyDescriptor(owner, key).value === 'function',
          `${name}: ${member.name}() is declared but is not a method`);
      }
    }
    const base = /\bextends\s+(\w+)/.exec(entry.header);
    const parent = Object.getPrototypeOf(value);
    if (base) {
      assert.equal(parent.name, base[1], `${name} extends ${parent.name}, declared ${base[1]}`);
    } else {
      assert.equal(parent, Function.prototype, `${name} extends ${parent.name} but is declared without`);
    }
  }
});

test('every constant is declared with its keys and values', () => {
  for (const [name, value] of Object.entries(vss)) {
    if (typeof value !== 'object' || value === null) {
      continue;
    }
    const entry = declared.get(name);
    assert.ok(entry.body !== undefined, `${name}: declared without its keys`);
    assert.deepEqual(constantValues(entry.body), { ...value }, `${name}: the declared keys or values differ`);
  }
});

test('every declared function takes at least the parameters the function has', () => {
  for (const [name, value] of Object.entries(vss)) {
    if (typeof value === 'function' && !isClass(value)) {
      assert.ok(declared.get(name).parameters.length >= value.length,
        `${name} takes ${value.length} parameters; ${declared.get(name).parameters.length} are declared`);
    }
  }
});

test('the names an ES module imports are the same as require gives', async () => {
  const namespace = await import('vssapi');
  assert.deepEqual(Object.keys(namespace).filter((n) => n !== 'default').sort(), Object.keys(vss).sort());
  assert.equal(namespace.default, vss);
});

// A TypeScript compiler: TSC, else tsc on PATH, else none.
function findTsc() {
  if (process.env.TSC) {
    return process.env.TSC;
  }
  for (const folder of (process.env.PATH || '').split(path.delimiter)) {
    const candidate = path.join(folder, process.platform === 'win32' ? 'tsc.cmd' : 'tsc');
    if (folder !== '' && fs.existsSync(candidate)) {
      return candidate;
    }
  }
  return null;
}

const USAGE = `
import vss, { Coordinator, Requester, Writer, VssError, HRESULT, ProviderId, Step, retryRun, retryPolicyDefault,
  type ProviderDefinition, type WriterStatus, type RetryAttempt, type SnapshotProperties } from 'vssapi';

class DatabaseWriter extends Writer {
  onFreeze(context: vss.HandlerContext): boolean {
    context.setFailureEx(HRESULT.VSS_E_WRITERERROR_RETRYABLE, 0x80070020, 'busy');
    return false;
  }
}

const provider: ProviderDefinition = {
  id: 'c0ffee00-0000-4000-8000-0000000000a1',
  name: 'typed',
  isVolumeSupported: (volume: string) => volume.startsWith('Z:'),
  async commitSnapshots(setId: string) { void setId; },
  snapshotDevice: (id: string) => 'Z:\\\\' + id,
};

export async function main(): Promise<number> {
  const coordinator = new Coordinator({ virtualClock: 'simulated', eventTimeoutMs: 1000 });
  const id: string = coordinator.registerProvider(provider, { onError: (error: unknown, step: string) => void [error, step] });
  const names: string[] = coordinator.providers().map((p) => p.name);
  const writer = new DatabaseWriter({ coordinator, name: 'Typed', classId: vss.guid('5e1f0001-1111-2222-8001-020304050607') });
  writer.subscribe();
  await using requester = new Requester(coordinator);
  requester.initializeForBackup();
  await requester.gatherWriterMetadata();
  const snapshot: string = requester.addToSnapshotSet('Z:\\\\data', id);
  requester.addToSnapshotSet('C:\\\\', ProviderId.SIMULATED);
  const operation = requester.start(Step.PREPARE_FOR_BACKUP);
  const status: number = await operation.wait({ timeoutMs: 100 });
  const statuses: WriterStatus[] = requester.writerStatuses();
  const props: SnapshotProperties = requester.snapshotProperties(snapshot);
  const created: bigint = props.creationTime;
  const reports: RetryAttempt[] = [];
  const result: number = await retryRun(coordinator, { ...retryPolicyDefault(), maxRetries: 1 },
    async (r: Requester, n: number) => (n > 1 ? undefined : HRESULT.VSS_E_WRITERERROR_RETRYABLE), (a) => { reports.push(a); });
  try {
    requester.runSync(99);
  } catch (error) {
    if (error instanceof VssError) {
      const code: string = error.code;
      void code;
    }
  }
  await coordinator.unregisterProvider(provider);
  for (const component of ([] as vss.WriterComponent[])) {
    void component.logicalPath;
  }
  await writer.close();
  await coordinator.close();
  void [names, status, statuses, created];
  return result + vss.Clock.SIMULATED;
}
`;

test('a strict TypeScript program using the API compiles (when a tsc is at hand)', (t) => {
  const tsc = findTsc();
  if (tsc === null) {
    t.skip('no TypeScript compiler: set TSC or put tsc on PATH to compile the declarations');
    return;
  }
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vssapi-types-'));
  try {
    fs.mkdirSync(path.join(folder, 'node_modules'));
    fs.symlinkSync(PACKAGE, path.join(folder, 'node_modules', 'vssapi'), 'dir');
    fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    fs.writeFileSync(path.join(folder, 'usage.ts'), USAGE);
    fs.writeFileSync(path.join(folder, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022',
        lib: ['es2022', 'esnext.disposable'], types: [], skipLibCheck: false, preserveSymlinks: true,
      },
      files: ['usage.ts'],
    }));
    const version = execFileSync(tsc, ['--version'], { encoding: 'utf8' }).trim();
    const run = spawnSync(tsc, ['-p', folder], { encoding: 'utf8' });
    assert.equal(run.status, 0, `${version}:\n${run.stdout}${run.stderr}`);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
