#!/usr/bin/env python3
"""Split the release wasm in two: what the page needs to start, and the rest.

Trunk post-build hook (Trunk.toml): Trunk leaves the wasm-bindgen output,
still with its name section and not yet optimised (`data-wasm-opt="0"` in
index.html), in the staging folder. This script

1. keeps in the first module the functions named in `scripts/wasm_keep.txt`
   (what a headless Chromium ran while the page started in each of its ways
   in, ran a few commands and was reloaded; for a page that opens a lesson,
   only what runs before it waits for the second module: `--profile` below)
   and moves to a second module those whose name hashes `scripts/wasm_lazy.txt`
   lists (what that run did not reach: the Lua VM, lessons, most command
   handlers, ...), with binaryen's `wasm-split` (Debian's binaryen 108; the
   npm binaryen 132 has none). A function in neither list is newer than the
   profile and stays (exact names: a new instance of a generic function is
   new too). Symbol hashes are stable across builds until the toolchain or a
   dependency changes; then names are matched without them, with a warning;
2. optimises both modules with wasm-opt -Oz (binaryen 132) and drops names;
3. patches the wasm-bindgen JS: the first module imports one placeholder per
   split function (from `placeholder`), and the placeholder instantiates the
   second module (`<name>_lazy.wasm`) on the first call. The second module
   is fetched and compiled in the background as soon as the page has
   started; a call that comes before that finished fetches it synchronously.
   Whatever the lists say, every call works: they only decide what is
   fetched first;
4. puts the stylesheets and the patched JS into index.html
   (scripts/inline_page.py: fewer requests before the page is interactive).

Two binaryen 108 limits are worked around: it cannot read `table.fill`
(wasm-bindgen's externref shims use it with a count of 1, rewritten to
`table.set` through a text round trip), and it points the
`__wbindgen_externrefs` export at the function table (patched back).

Usage:
  wasm_split.py [<folder>]   split <folder>/*_bg.wasm and patch *.js (default:
                             Trunk's $TRUNK_STAGING_DIR, release builds only)
  wasm_split.py --profile    refresh both lists: needs a release
                             build (`trunk build --release`, which leaves the
                             unsplit wasm-bindgen output in target/), runs an
                             instrumented copy in Chromium
                             (tests/e2e/perf/profile.mjs)
"""
import base64
import glob
import hashlib
import os
import re
import subprocess
import sys
import tempfile

import inline_page
from wasm_module import function_names, leb, sections

FEATURES = [
    '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
    '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue',
]
KEEP_LIST = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'wasm_keep.txt')
# Short hashes of the names of the functions the profile saw and did not keep
# (exact, and without their symbol hash for when those no longer match): a
# function in neither list is new since the profile and stays in the first
# module.
LAZY_LIST = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'wasm_lazy.txt')


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def tool(name, new=True):
    """binaryen 132 (npm, in .tools/) or Debian's 108 (/usr/bin)."""
    path = os.path.join(ROOT, '.tools', 'node_modules', '.bin', name) if new else '/usr/bin/' + name
    if not os.path.exists(path):
        how = 'bash scripts/install.sh' if new else 'apt-get install binaryen'
        sys.exit(f'wasm_split: {path} missing ({how})')
    return path


def run(*args):
    subprocess.run(args, check=True)


ID_CHARS = set(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&'*+-./:<=>?@\\^_`|~")


def binaryen_name(name):
    """How binaryen 108 spells a name from the name section (wasm-split's
    --split-funcs and -v use it): characters outside the text format's id
    characters become `\\xx`. None for non-ASCII names (left in place)."""
    raw = name.encode()
    if any(b >= 0x80 for b in raw):
        return None
    if all(b in ID_CHARS for b in raw):
        return name
    return ''.join(chr(b) if b in ID_CHARS else f'\\{b:02x}' for b in raw)


def unhashed(name):
    return re.sub(r'::h[0-9a-f]{16}$', '', name)


def short_hash(name):
    return hashlib.sha1(name.encode()).hexdigest()[:10]


def lazy_list():
    """(hashes of the exact names, hashes of the names without symbol hash)."""
    if not os.path.exists(LAZY_LIST):
        return set(), set()
    lines = [line.split() for line in open(LAZY_LIST).read().split('\n')
             if line and not line.startswith('#')]
    return {l[0] for l in lines}, {l[1] for l in lines}


def keep_list():
    if not os.path.exists(KEEP_LIST):
        sys.exit(f'wasm_split: {KEEP_LIST} missing (wasm_split.py --profile)')
    return {line for line in open(KEEP_LIST).read().split('\n') if line and not line.startswith('#')}


def fix_externref_export(path):
    """Point the `__wbindgen_externrefs` export back at the externref table."""
    data = bytearray(open(path, 'rb').read())
    externref_table = None
    for sid, start, end in sections(data):
        if sid == 4:  # tables
            count, p = leb(data, start)
            for i in range(count):
                if data[p] == 0x6F:
                    externref_table = i
                p += 1
                flags, p = leb(data, p)
                _, p = leb(data, p)
                if flags & 1:
                    _, p = leb(data, p)
        if sid == 7:  # exports
            count, p = leb(data, start)
            for _ in range(count):
                n, p = leb(data, p)
                name = bytes(data[p:p + n])
                p += n
                kind = data[p]
                idx_pos = p + 1
                _, p = leb(data, idx_pos)
                if name == b'__wbindgen_externrefs' and kind == 1:
                    if externref_table is None or externref_table > 127 or p != idx_pos + 1:
                        sys.exit('wasm_split: cannot patch the externref export')
                    data[idx_pos] = externref_table
    open(path, 'wb').write(bytes(data))


JS_LOADER = r'''
// wasm_split.py: what the start does not need lives in a second module.
let __lazyUrl, __lazyModule, __lazyLoaded = false, __lazyFetching;
// Fetches and compiles the second module off the main thread (once; a
// failure lets a later call try again).
function __lazyFetch() {
    if (!__lazyFetching) {
        __lazyFetching = fetch(__lazyUrl)
            .then(r => { if (!r.ok) throw new Error(`failed to fetch ${__lazyUrl}: ${r.status}`); return r.arrayBuffer(); })
            .then(b => WebAssembly.compile(b))
            .then(m => { if (!__lazyModule) __lazyModule = m; })
            .catch(e => { __lazyFetching = undefined; throw e; });
    }
    return __lazyFetching;
}
function __lazyPrefetch() {
    if (__lazyModule || !__lazyUrl) return;
    __lazyFetch().catch(() => {});
}
// For the app (src/ui/platform.rs): a promise that settles once the second
// module is in (a page that needs it at once, e.g. one opening a lesson,
// waits for it instead of fetching it synchronously).
globalThis.__slotlabSecondModule = () =>
    __lazyUrl ? __lazyFetch().then(() => __lazyLoad()) : Promise.resolve();
function __lazyLoad() {
    if (__lazyLoaded) return;
    if (!__lazyModule) {
        // Called before the background fetch finished: fetch it now.
        const x = new XMLHttpRequest();
        x.open('GET', __lazyUrl, false);
        x.overrideMimeType('text/plain; charset=x-user-defined');
        x.send();
        if (x.status !== 200 && x.status !== 0) throw new Error(`failed to fetch ${__lazyUrl}: ${x.status}`);
        const s = x.responseText, b = new Uint8Array(s.length);
        for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
        __lazyModule = new WebAssembly.Module(b);
    }
    new WebAssembly.Instance(__lazyModule, { primary: wasm });
    __lazyLoaded = true;
}
const __lazyPlaceholders = new Proxy({}, {
    get(_, index) {
        return function (...args) {
            __lazyLoad();
            return wasm.table.get(Number(index))(...args);
        };
    },
});
'''


def patch_js(path, lazy_name):
    js = open(path).read()
    if '__lazyPlaceholders' in js:
        sys.exit(f'wasm_split: {path} is already patched')
    anchor = 'let wasmModule, wasmInstance, wasm;'
    imports = 'const imports = __wbg_get_imports();'
    start = '    wasm.__wbindgen_start();'
    if js.count(anchor) != 1 or js.count(imports) != 2 or js.count(start) != 1:
        sys.exit(f'wasm_split: {path} does not look like wasm-bindgen 0.2.130 output')
    js = js.replace(anchor, anchor + JS_LOADER)
    js = js.replace(imports, imports + '\n    imports.placeholder = __lazyPlaceholders;')
    # The second module sits next to the first one, whatever URL it was given.
    js = js.replace(
        'const { instance, module } = await __wbg_load(await module_or_path, imports);',
        'const __response = await module_or_path;\n'
        '    __lazyUrl = new URL(' + repr(lazy_name) + ', __response.url || location.href).href;\n'
        '    const { instance, module } = await __wbg_load(__response, imports);')
    js = js.replace(start, start + '\n    setTimeout(__lazyPrefetch, 0);')
    open(path, 'w').write(js)


def sri(path):
    return 'sha384-' + base64.b64encode(hashlib.sha384(open(path, 'rb').read()).digest()).decode()


def readable(wasm, tmp):
    """`wasm` rewritten so that binaryen 108 can read it (names kept)."""
    wat = os.path.join(tmp, 'in.wat')
    run(tool('wasm-dis'), wasm, '-o', wat)
    text = open(wat).read()
    text, _ = re.subn(
        r'\(table\.fill (\$\S+)\n(\s*)(\(local\.get \$\d+\))\n\s*(\(ref\.null noextern\))\n'
        r'\s*\(i32\.const 1\)\n',
        lambda m: f'(table.set {m.group(1)}\n{m.group(2)}{m.group(3)}\n{m.group(2)}{m.group(4)}\n',
        text)
    if 'table.fill' in text:
        sys.exit('wasm_split: a table.fill binaryen 108 cannot read is left')
    open(wat, 'w').write(text)
    fixed = os.path.join(tmp, 'fixed.wasm')
    run(tool('wasm-as'), *FEATURES, '-g', wat, '-o', fixed)
    return fixed


def fix_sri(folder, old_sri):
    """Trunk's index.html holds subresource-integrity hashes of the files."""
    html_path = os.path.join(folder, 'index.html')
    if os.path.exists(html_path):
        html = open(html_path).read()
        for path, digest in old_sri.items():
            html = html.replace(f'integrity="{digest}"', f'integrity="{sri(path)}"')
        open(html_path, 'w').write(html)


def split(folder):
    wasm_paths = glob.glob(os.path.join(folder, '*_bg.wasm'))
    if len(wasm_paths) != 1:
        sys.exit(f'wasm_split: expected one *_bg.wasm in {folder}')
    wasm = wasm_paths[0]
    js = wasm[:-len('_bg.wasm')] + '.js'
    lazy = wasm[:-len('_bg.wasm')] + '_lazy.wasm'
    old_sri = {path: sri(path) for path in (wasm, js)}
    keep = keep_list()
    with tempfile.TemporaryDirectory() as tmp:
        fixed = readable(wasm, tmp)
        names = function_names(open(fixed, 'rb').read())
        if not names:
            sys.exit('wasm_split: the wasm has no function names')
        # Functions without a name (wasm-bindgen's glue; the text round trip
        # names them by index) always stay.
        names = [n for n in names if not n.isdigit()]
        found = keep.intersection(names)
        exact_lazy, loose_lazy = lazy_list()
        if len(found) >= 0.9 * len(keep):
            # Exact names: a new instance of a generic function (the
            # `use_state::<bool>` new code adds beside a `use_state::<u32>`
            # the profile saw unused) is new, so it stays.
            moved = [n for n in names if n not in keep and short_hash(n) in exact_lazy]
        else:
            # Symbol hashes change with the toolchain or a dependency's
            # version: match names without them (keeps every instance of a
            # generic function: larger, still right) until --profile is rerun.
            print(f'wasm_split: WARNING: only {len(found)} of the {len(keep)} names in '
                  f'{os.path.basename(KEEP_LIST)} are in this build; matching without hashes. '
                  'Refresh it: trunk build --release && python3 scripts/wasm_split.py --profile',
                  file=sys.stderr)
            loose = {unhashed(n) for n in keep}
            moved = [n for n in names if unhashed(n) not in loose and short_hash(unhashed(n)) in loose_lazy]
        listing = os.path.join(tmp, 'split.txt')
        moved = [b for b in map(binaryen_name, moved) if b]
        open(listing, 'w').write('\n'.join(moved) + '\n')
        primary = os.path.join(tmp, 'primary.wasm')
        secondary = os.path.join(tmp, 'secondary.wasm')
        # SLOTLAB_WASM_NAMES=1 keeps the name section, for a profile whose
        # wasm frames have names (larger download; not for a release).
        names_flag = ['-g'] if os.environ.get('SLOTLAB_WASM_NAMES') == '1' else []
        subprocess.run([tool('wasm-split', new=False), *FEATURES, *names_flag, '--split-funcs', '@' + listing,
                        '-o1', primary, '-o2', secondary, fixed],
                       check=True)
        fix_externref_export(primary)
        run(tool('wasm-opt'), '-Oz', *names_flag, *FEATURES, primary, '-o', wasm)
        run(tool('wasm-opt'), '-Oz', *names_flag, *FEATURES, secondary, '-o', lazy)
    patch_js(js, os.path.basename(lazy))
    fix_sri(folder, old_sri)
    inline_page.inline(folder)
    print(f'wasm_split: {len(names) - len(moved)} functions kept, {len(moved)} moved to {os.path.basename(lazy)}')


def profile():
    """Refresh KEEP_LIST from an instrumented copy of the release build."""
    bindgen = os.path.join(ROOT, 'target', 'wasm-bindgen', 'release')
    dist = os.path.join(ROOT, 'dist')
    bg_wasm = glob.glob(os.path.join(dist, 'slotlab-*_bg.wasm'))
    if not os.path.exists(os.path.join(bindgen, 'slotlab_bg.wasm')) or len(bg_wasm) != 1:
        sys.exit('wasm_split --profile: run `trunk build --release` first')
    with tempfile.TemporaryDirectory() as tmp:
        fixed = readable(os.path.join(bindgen, 'slotlab_bg.wasm'), tmp)
        site = os.path.join(tmp, 'site')
        subprocess.run(['cp', '-r', dist, site], check=True)
        name = os.path.basename(bg_wasm[0])[:-len('_bg.wasm')]
        stem = os.path.join(site, name)
        for leftover in glob.glob(stem + '_lazy.wasm'):
            os.remove(leftover)
        run(tool('wasm-split', new=False), *FEATURES, '--instrument', fixed, '-o', stem + '_bg.wasm')
        fix_externref_export(stem + '_bg.wasm')
        js = open(os.path.join(bindgen, 'slotlab.js')).read()
        js = js.replace('    wasm.__wbindgen_start();', '    window.__slotlabWasm = wasm;\n    wasm.__wbindgen_start();')
        open(stem + '.js', 'w').write(js)
        # The release page has its loader inline (inline_page.py): load the
        # instrumented one instead.
        html = re.sub(r' integrity="[^"]*"', '', open(os.path.join(site, 'index.html')).read())
        html = re.sub(r'<script type="module">.*?</script>',
                      lambda _: f'<script type="module">import init from "./{name}.js"; '
                                f'await init({{ module_or_path: "./{name}_bg.wasm" }});</script>',
                      html, count=1, flags=re.DOTALL)
        open(os.path.join(site, 'index.html'), 'w').write(html)
        out = os.path.join(tmp, 'profile')
        subprocess.run(['node', 'perf/profile.mjs', site, out], check=True,
                       cwd=os.path.join(ROOT, 'tests', 'e2e'))
        runs = sorted(glob.glob(out + '.*'))
        merged = os.path.join(tmp, 'merged')
        run(tool('wasm-split', new=False), *FEATURES, '--merge-profiles', *runs, '-o', merged)
        verbose = subprocess.run(
            [tool('wasm-split', new=False), *FEATURES, '--profile=' + merged, '-v',
             '-o1', os.path.join(tmp, 'p.wasm'), '-o2', os.path.join(tmp, 's.wasm'), fixed],
            check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
    def listed(prefix):
        line = next(l for l in verbose.split('\n') if l.startswith(prefix))
        names = line[len(prefix):].split(', ')
        names = [re.sub(r'\\([0-9a-f]{2})', lambda m: chr(int(m.group(1), 16)), n) for n in names]
        return sorted({n for n in names if not n.isdigit()})

    kept = listed('Keeping functions: ')
    split_out = listed('Splitting out functions: ')
    with open(KEEP_LIST, 'w') as f:
        f.write('# Functions the first wasm module keeps (scripts/wasm_split.py --profile):\n'
                '# what headless Chromium ran while slotlab started, ran a few commands\n'
                '# and was reloaded (tests/e2e/perf/profile.mjs).\n')
        f.write('\n'.join(kept) + '\n')
    with open(LAZY_LIST, 'w') as f:
        f.write('# The functions the profile did not keep (scripts/wasm_split.py --profile):\n'
                '# sha1[:10] of the name, then of the name without its symbol hash (used\n'
                '# when the hashes no longer match). These go to the second module; a\n'
                '# function in neither list is new and stays in the first.\n')
        f.write('\n'.join(sorted({f'{short_hash(n)} {short_hash(unhashed(n))}' for n in split_out})) + '\n')
    print(f'wasm_split: {len(kept)} functions kept ({KEEP_LIST}), {len(split_out)} moved ({LAZY_LIST})')


if __name__ == '__main__':
    if sys.argv[1:] == ['--profile']:
        profile()
    elif len(sys.argv) > 1:
        split(sys.argv[1])
    elif os.environ.get('TRUNK_PROFILE') == 'release':
        split(os.environ['TRUNK_STAGING_DIR'])
    else:
        print('wasm_split: not a release build, nothing to split')
