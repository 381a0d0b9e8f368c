#!/usr/bin/python3
"""Draws the Fashion-MNIST subset committed in data/fashion-mnist-subset.

The full set (apt-get install dataset-fashion-mnist) is 30 MB; tests and examples need a small, fixed
sample that a clean clone already has. This picks 600 training and 100 test images of each of the ten
classes (6,000 and 1,000 in all) with a fixed seed, keeps them in their original order, and writes them
in the same gzipped IDX format, so one reader serves both. Standard library only.

Usage: /usr/bin/python3 data/make_subset.py [SOURCE_DIR] [TARGET_DIR]
"""
import gzip
import os
import random
import struct
import sys

SEED = 2026
PER_CLASS = {"train": 600, "t10k": 100}
CLASSES = 10


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(f">{ndim}I", data[4:4 + 4 * ndim])
    body = data[4 + 4 * ndim:]
    row = 1
    for d in dims[1:]:
        row *= d
    if len(body) != dims[0] * row:
        raise ValueError(f"{path}: expected {dims[0] * row} data bytes, found {len(body)}")
    return dims, row, body


def write_idx(path, dims, body):
    header = struct.pack(">HBB", 0, 0x08, len(dims)) + struct.pack(f">{len(dims)}I", *dims)
    # mtime=0 and no stored file name keep the output byte-identical from run to run.
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
        f.write(header + body)


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
    target = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "fashion-mnist-subset")
    os.makedirs(target, exist_ok=True)
    rng = random.Random(SEED)
    for split, per_class in PER_CLASS.items():
        image_dims, image_row, images = read_idx(os.path.join(source, f"{split}-images-idx3-ubyte.gz"))
        label_dims, _, labels = read_idx(os.path.join(source, f"{split}-labels-idx1-ubyte.gz"))
        if image_dims[0] != label_dims[0]:
            raise ValueError(f"{split}: {image_dims[0]} images but {label_dims[0]} labels")
        by_class = [[] for _ in range(CLASSES)]
        for i, label in enumerate(labels):
            by_class[label].append(i)
        # Stratified: the same number of each class, so small-sample accuracy is comparable across classes.
        chosen = sorted(i for members in by_class for i in rng.sample(members, per_class))
        picked_images = b"".join(images[i * image_row:(i + 1) * image_row] for i in chosen)
        picked_labels = bytes(labels[i] for i in chosen)
        write_idx(os.path.join(target, f"{split}-images-idx3-ubyte.gz"), (len(chosen),) + tuple(image_dims[1:]), picked_images)
        write_idx(os.path.join(target, f"{split}-labels-idx1-ubyte.gz"), (len(chosen),), picked_labels)
        print(f"{split}: {len(chosen)} of {image_dims[0]} images")


if __name__ == "__main__":
    main()
