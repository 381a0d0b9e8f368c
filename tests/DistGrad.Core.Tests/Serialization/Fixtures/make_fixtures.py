#!/usr/bin/python3
"""Writes the safetensors test fixtures with nothing but struct and json: an independent writer.

reference.safetensors follows the layout DistGrad's writer uses (__metadata__ first, tensors in data
order, compact JSON, space padding to 8 bytes), so a correct writer reproduces it byte for byte.
header_order.safetensors lists the tensors in the header in a different order from their data, as
other writers may, and has no metadata. Run: /usr/bin/python3 make_fixtures.py (from this folder).
"""
import json
import struct

# name -> (dtype, shape, struct format, values)
TENSORS = {
    "weight": ("F32", [2, 3], "<6f", [0.5, -1.25, 3.0, 0.001, -0.0, 65504.0]),
    "bias": ("F64", [3], "<3d", [1.0 / 3.0, -2.5, 1e300]),
    "step": ("I64", [], "<q", [42]),
    "index": ("I64", [4], "<4q", [0, -1, 2 ** 40, -(2 ** 62)]),
    "mask": ("BOOL", [2, 2], "<4?", [True, False, False, True]),
    "empty": ("F32", [0, 3], "<0f", []),
}


def write(path, header_names, metadata):
    data = b""
    entries = {}
    for name, (dtype, shape, fmt, values) in TENSORS.items():
        payload = struct.pack(fmt, *values)
        entries[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(payload)]}
        data += payload
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    for name in header_names:
        header[name] = entries[name]
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)


write("reference.safetensors", list(TENSORS), {"format": "pt", "step": "1234"})
write("header_order.safetensors", sorted(TENSORS), None)
