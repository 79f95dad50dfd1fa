"""Puts the release page's stylesheets and its JavaScript loader into
index.html itself (called by scripts/wasm_split.py, release builds only).

Why: on a cold load every extra request delays the start. The page waits
for its stylesheets before it runs its module script, and the loader is a
request of its own before the wasm can be instantiated. With both inside
the HTML the page makes two requests before it is interactive (itself and
the first wasm module), as the bare Yew app does
(tests/e2e/specs/first-load.spec.ts). Measured in README "Performance"
(time to interactive).

The cost: the stylesheets and the loader (about 22 KB gzipped) come with
the page, which is not cached by content hash as the separate files were.

What it does to Trunk's output:
- `<link rel="stylesheet" href=".../NAME.css" ...>` becomes `<style>` with
  the file's text; the file is deleted;
- `import init, * as bindings from '.../slotlab-HASH.js';` in Trunk's
  module script becomes the loader's text, wrapped in a function whose
  result stands for the module's exports; its `<link rel="modulepreload">`
  and the file are deleted.
"""

import os
import re
import sys


def _local(folder, href):
    """The file in `folder` an href of the page names (any public URL prefix)."""
    return os.path.join(folder, os.path.basename(href))


def _inline_stylesheets(folder, html):
    def style(match):
        path = _local(folder, match.group(1))
        css = open(path, encoding='utf-8').read()
        if re.search(r'</style', css, re.IGNORECASE):
            sys.exit(f'inline_page: {os.path.basename(path)} contains "</style": cannot inline it')
        os.remove(path)
        return f'<style>\n{css}\n</style>'

    return re.sub(r'<link rel="stylesheet" href="([^"]+\.css)"[^>]*>', style, html)


def _exports_object(export_line):
    """`export { a, b as default };` -> `{ a, default: b }`."""
    names = re.fullmatch(r'export \{(.*)\};', export_line.strip()).group(1)
    fields = []
    for item in names.split(','):
        parts = item.split()
        fields.append(parts[0] if len(parts) == 1 else f'{parts[2]}: {parts[0]}')
    return '{ ' + ', '.join(fields) + ' }'


def _inline_loader(folder, html):
    found = re.search(r"import init, \* as bindings from '([^']+\.js)';", html)
    if not found:
        sys.exit('inline_page: Trunk\'s module script (import init, * as bindings ...) not found')
    path = _local(folder, found.group(1))
    js = open(path, encoding='utf-8').read()
    if re.search(r'</script', js, re.IGNORECASE):
        sys.exit(f'inline_page: {os.path.basename(path)} contains "</script": cannot inline it')
    lines = js.rstrip('\n').split('\n')
    exports = [i for i, line in enumerate(lines) if line.startswith('export ')]
    if len(exports) != 1 or re.match(r'^\s*import\b', js, re.MULTILINE):
        sys.exit(f'inline_page: {os.path.basename(path)} is not one export line without imports')
    (at,) = exports
    body = '\n'.join(lines[:at] + lines[at + 1:])
    loader = (f'const bindings = (() => {{\n{body}\nreturn {_exports_object(lines[at])};\n}})();\n'
              'const init = bindings.default;')
    html = html[:found.start()] + loader + html[found.end():]
    html = re.sub(r'<link rel="modulepreload" href="[^"]*' + re.escape(os.path.basename(path)) + r'"[^>]*>',
                  '', html)
    os.remove(path)
    return html


def inline(folder):
    """Inlines `folder`/index.html's stylesheets and loader (see the module doc)."""
    index = os.path.join(folder, 'index.html')
    html = open(index, encoding='utf-8').read()
    html = _inline_loader(folder, _inline_stylesheets(folder, html))
    open(index, 'w', encoding='utf-8').write(html)
    print(f'inline_page: stylesheets and loader inlined, index.html is {len(html.encode())} bytes')
