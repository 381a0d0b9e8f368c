# Prints the learning rates PyTorch 1.13's schedulers set over 12 steps (two groups, lr 0.1 and 0.02).
import warnings
import torch
from torch.optim import SGD
from torch.optim import lr_scheduler as L

warnings.simplefilter('ignore')


def opt():
    a = torch.zeros(1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    return SGD([{'params': [a]}, {'params': [b], 'lr': 0.02}], lr=0.1)


def run(name, make, steps=12):
    o = opt()
    s = make(o)
    rows = [s.get_last_lr()]
    for _ in range(steps):
        o.step()
        s.step()
        rows.append(s.get_last_lr())
        assert rows[-1] == [g['lr'] for g in o.param_groups]
    print(f'// {name}')
    print('[')
    for r in rows:
        print('    [' + ', '.join(repr(v) for v in r) + '],')
    print('],')


run('StepLR(step_size=3, gamma=0.5)', lambda o: L.StepLR(o, step_size=3, gamma=0.5))
run('StepLR(step_size=1) default gamma', lambda o: L.StepLR(o, 1))
run('CosineAnnealingLR(T_max=5, eta_min=0.001)', lambda o: L.CosineAnnealingLR(o, T_max=5, eta_min=0.001))
run('CosineAnnealingLR(T_max=10)', lambda o: L.CosineAnnealingLR(o, T_max=10))
run('LinearLR() defaults', lambda o: L.LinearLR(o))
run('LinearLR(start_factor=0.25, end_factor=0.75, total_iters=4)', lambda o: L.LinearLR(o, start_factor=0.25, end_factor=0.75, total_iters=4))
run('SequentialLR([LinearLR(0.1, total_iters=3), CosineAnnealingLR(T_max=8, eta_min=1e-4)], [3])',
    lambda o: L.SequentialLR(o, [L.LinearLR(o, start_factor=0.1, total_iters=3), L.CosineAnnealingLR(o, T_max=8, eta_min=1e-4)], milestones=[3]))
run('SequentialLR([LinearLR(0.5, total_iters=2), StepLR(2, 0.5), CosineAnnealingLR(4)], [2, 6])',
    lambda o: L.SequentialLR(o, [L.LinearLR(o, start_factor=0.5, total_iters=2), L.StepLR(o, 2, 0.5), L.CosineAnnealingLR(o, 4)], milestones=[2, 6]))

# Closed form of the cosine schedule, to show how far the recursive one drifts.
import math
print('// cosine closed form T_max=10 group0', [0.0 + (0.1 - 0) * (1 + math.cos(math.pi * e / 10)) / 2 for e in range(13)])
