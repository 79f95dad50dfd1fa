"""Reading a wasm module's sections: LEB128 numbers, the section list, the
defined functions' names (name section) and code sizes. Shared by
wasm_split.py (the split) and wasm_share.py (code bytes by crate)."""


def leb(data, pos):
    result = shift = 0
    while True:
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, pos


def sections(data):
    pos = 8
    while pos < len(data):
        sid = data[pos]
        size, start = leb(data, pos + 1)
        yield sid, start, start + size
        pos = start + size


def function_names(data):
    """Names of the defined functions (name section), in index order."""
    imports = 0
    names = {}
    for sid, start, end in sections(data):
        body = data[start:end]
        if sid == 2:
            count, p = leb(body, 0)
            for _ in range(count):
                for _ in range(2):
                    n, p = leb(body, p)
                    p += n
                kind = body[p]
                p += 1
                if kind == 0:
                    _, p = leb(body, p)
                    imports += 1
                elif kind == 1:
                    p += 1
                    flags, p = leb(body, p)
                    _, p = leb(body, p)
                    if flags & 1:
                        _, p = leb(body, p)
                elif kind == 2:
                    flags, p = leb(body, p)
                    _, p = leb(body, p)
                    if flags & 1:
                        _, p = leb(body, p)
                elif kind == 3:
                    p += 2
        elif sid == 0:
            n, p = leb(body, 0)
            if body[p:p + n] != b'name':
                continue
            p += n
            while p < len(body):
                sub = body[p]
                size, p = leb(body, p + 1)
                if sub == 1:
                    count, q = leb(body, p)
                    for _ in range(count):
                        idx, q = leb(body, q)
                        n, q = leb(body, q)
                        names[idx] = body[q:q + n].decode('utf-8', 'replace')
                        q += n
                p += size
    return [name for idx, name in sorted(names.items()) if idx >= imports]


def code_sizes(data):
    """The byte size of each defined function's body, in index order."""
    sizes = []
    for sid, start, _ in sections(data):
        if sid == 10:
            count, p = leb(data, start)
            for _ in range(count):
                size, p = leb(data, p)
                sizes.append(size)
                p += size
    return sizes
