#!/usr/bin/env python3
"""Which crates a wasm module's code bytes come from (scripts/bench.sh size).

Reads the code section and the `name` section (function names) of a wasm
file that still has names (cargo's output, before wasm-bindgen/wasm-opt),
sums each function body's size by crate, and prints the Lua VM's share:
the crates omnilua and lua_* that the scripting engine runs on, plus
slotlab's own engine::script module.
"""
import re
import sys
from collections import Counter

from wasm_module import code_sizes, function_names


def mangled_path(name):
    """The leading path components of a legacy-mangled Rust symbol
    (`_ZN7omnilua3lua...E`); trait impls (`_ZN50_$LT$...`) give their
    first type's path."""
    if not name.startswith('_ZN'):
        return []
    parts, i = [], 3
    while i < len(name) and name[i].isdigit():
        j = i
        while name[j].isdigit():
            j += 1
        n = int(name[i:j])
        parts.append(name[j:j + n])
        i = j + n
    if parts and parts[0].startswith('_$LT$'):
        inner = parts[0][5:].lstrip('_')
        inner = inner.replace('$u20$', ' ').replace('..', '::')
        inner = re.sub(r'^(mut )?', '', inner.replace('$RF$', ''))
        return [p for p in inner.split('::') if p][:3]
    return parts


def crate_of(name):
    parts = mangled_path(name)
    if not parts and name.startswith('_R'):
        # v0 mangling (the standard library): the first crate root `C`.
        m = re.search(r'C(?:s[0-9A-Za-z]*_)?(\d+)', name)
        if m:
            start = m.end()
            parts = [name[start:start + int(m.group(1))]]
    if not parts:
        return '(other)'
    crate = parts[0]
    if crate == 'slotlab' and len(parts) > 1:
        if parts[1] == 'engine' and len(parts) > 2 and parts[2] == 'script':
            return 'slotlab::engine::script'
        return 'slotlab::' + parts[1]
    return crate


def main(path):
    data = open(path, 'rb').read()
    names = function_names(data)
    bodies = code_sizes(data)
    if not names:
        print(f'{path}: no name section, cannot attribute code to crates')
        return
    by_crate = Counter()
    for i, size in enumerate(bodies):
        name = names[i] if i < len(names) else '?'
        crate = crate_of(name)
        by_crate[crate] += size
    total = sum(bodies)
    lua = sum(v for k, v in by_crate.items()
              if k == 'omnilua' or k.startswith('lua_') or k == 'slotlab::engine::script')
    print(f'code bytes by crate (top of {len(by_crate)}), before wasm-opt:')
    for crate, size in by_crate.most_common(int(sys.argv[2]) if len(sys.argv) > 2 else 12):
        print(f'  {crate:<32} {size:>9} {100 * size / total:5.1f}%')
    print(f'Lua VM share of the code: {lua} of {total} bytes = {100 * lua / total:.1f}% '
          '(omnilua, lua_*, slotlab::engine::script)')


if __name__ == '__main__':
    main(sys.argv[1])
