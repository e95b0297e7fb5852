'use strict';
// The README's example (example.mjs) runs as written.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFile } = require('node:child_process');
const { promisify } = require('node:util');

test('example.mjs prints the writer failure it read back', async () => {
  const example = path.join(__dirname, '..', 'example.mjs');
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [example], { timeout: 60000 });
  assert.equal(stdout, 'Demo Writer FAILED_AT_FREEZE VSS_E_WRITERERROR_RETRYABLE 80070020 database busy\n');
  assert.equal(stderr, '');
});

test('README.md shows example.mjs verbatim', () => {
  const fs = require('node:fs');
  const example = fs.readFileSync(path.join(__dirname, '..', 'example.mjs'), 'utf8');
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  assert.ok(readme.includes('```js\n' + example + '```\n'), 'the README example differs from example.mjs');
});
