#!/usr/bin/env python3
"""PyTorch 1.13 reference for DistGrad's Fashion-MNIST accuracy runs (the same recipes, the same data).

Usage: /usr/bin/python3 bench/reference/train_fashion_mnist.py {mlp|cnn} [--epochs N] [--seed S] [--data DIR]
Prints one line: model, epochs, test accuracy, seconds.
"""
import argparse
import gzip
import struct
import time

import torch
import torch.nn as nn


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def load(directory, train):
    prefix = "train" if train else "t10k"
    images = read_idx(f"{directory}/{prefix}-images-idx3-ubyte.gz").float().div(255).unsqueeze(1)
    labels = read_idx(f"{directory}/{prefix}-labels-idx1-ubyte.gz").long()
    return images, labels


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))


def cnn():
    # LeNet-style with 3x3 convolutions: two conv-ReLU-pool stages of 32 channels, then two linear layers.
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(1568, 128), nn.ReLU(), nn.Linear(128, 10))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model", choices=["mlp", "cnn"])
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--lr", type=float, default=None)
    parser.add_argument("--batch", type=int, default=None)
    parser.add_argument("--optimizer", choices=["sgd", "adam"], default=None)
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    args = parser.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    epochs = args.epochs or (5 if args.model == "mlp" else 3)
    lr = args.lr or (0.1 if args.model == "mlp" else 0.05)
    batch = args.batch or (128 if args.model == "mlp" else 64)
    x_train, y_train = load(args.data, True)
    x_test, y_test = load(args.data, False)
    model = mlp() if args.model == "mlp" else cnn()
    optimizer_name = args.optimizer or "sgd"
    if optimizer_name == "sgd":
        optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x_train, y_train), batch_size=batch, shuffle=True)
    start = time.perf_counter()
    for _ in range(epochs):
        model.train()
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(xb), yb)
            loss.backward()
            optimizer.step()
    seconds = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        correct = sum((model(x_test[i:i + 1000]).argmax(1) == y_test[i:i + 1000]).sum().item() for i in range(0, len(y_test), 1000))
    print(f"pytorch {args.model} epochs={epochs} optimizer={optimizer_name} lr={lr} batch={batch} seed={args.seed} test_accuracy={correct / len(y_test):.4f} train_seconds={seconds:.1f}")


if __name__ == "__main__":
    main()
