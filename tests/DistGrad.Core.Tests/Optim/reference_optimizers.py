# Prints the expected values of DistGrad's optimizer tests, computed by PyTorch 1.13 (CPU, single-tensor path).
import torch

torch.set_printoptions(precision=10)
P1 = [[0.5, -1.2], [2.0, 0.3]]
P2 = [1.0, -0.5, 0.25]
G1 = [[[0.1, -0.4], [1.5, 0.0]],
      [[-0.3, 0.2], [0.8, -1.1]],
      [[0.6, 0.05], [-0.7, 0.9]],
      [[0.25, -0.6], [0.4, 1.2]],
      [[-0.9, 0.35], [0.15, -0.45]]]
G2 = [[0.7, -0.2, 0.05],
      [-1.3, 0.4, 0.6],
      None,  # p2 has no gradient at step 3: skipped
      [0.2, 0.9, -0.75],
      [0.5, -0.1, 1.4]]


def run(make, dtype=torch.float32, groups=None, steps=5):
    p1 = torch.tensor(P1, dtype=dtype, requires_grad=True)
    p2 = torch.tensor(P2, dtype=dtype, requires_grad=True)
    opt = make([p1, p2] if groups is None else groups(p1, p2))
    rows = []
    for t in range(steps):
        opt.zero_grad(set_to_none=True)
        p1.grad = torch.tensor(G1[t], dtype=dtype)
        if G2[t] is not None:
            p2.grad = torch.tensor(G2[t], dtype=dtype)
        opt.step()
        rows.append(torch.cat([p1.detach().flatten(), p2.detach().flatten()]).tolist())
    return rows, opt, (p1, p2)


def lit(v, dtype):
    if dtype == torch.float32:
        return '%.9gf' % v
    return repr(v)


def show(name, rows, dtype=torch.float32):
    print(f'// {name}')
    print('[')
    for r in rows:
        print('    [' + ', '.join(lit(v, dtype) for v in r) + '],')
    print('],')


O = torch.optim
cases = {
    'SGD lr=0.1': lambda ps: O.SGD(ps, lr=0.1),
    'SGD lr=0.1 momentum=0.9': lambda ps: O.SGD(ps, lr=0.1, momentum=0.9),
    'SGD lr=0.05 momentum=0.9 dampening=0.1 weight_decay=0.01': lambda ps: O.SGD(ps, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01),
    'SGD lr=0.1 momentum=0.8 weight_decay=0.05 nesterov': lambda ps: O.SGD(ps, lr=0.1, momentum=0.8, weight_decay=0.05, nesterov=True),
    'Adam defaults': lambda ps: O.Adam(ps),
    'Adam lr=0.01 betas=(0.8,0.99) eps=1e-6 weight_decay=0.1': lambda ps: O.Adam(ps, lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
    'AdamW lr=0.01': lambda ps: O.AdamW(ps, lr=0.01),
    'AdamW lr=0.05 betas=(0.85,0.995) eps=1e-7 weight_decay=0.1': lambda ps: O.AdamW(ps, lr=0.05, betas=(0.85, 0.995), eps=1e-7, weight_decay=0.1),
}
for name, make in cases.items():
    show(name, run(make)[0])

show('float64 Adam lr=0.01 betas=(0.8,0.99) eps=1e-6 weight_decay=0.1',
     run(cases['Adam lr=0.01 betas=(0.8,0.99) eps=1e-6 weight_decay=0.1'], dtype=torch.float64)[0], torch.float64)
show('float64 SGD nesterov', run(cases['SGD lr=0.1 momentum=0.8 weight_decay=0.05 nesterov'], dtype=torch.float64)[0], torch.float64)

show('SGD groups: [p1] defaults lr=0.1 momentum=0.9; [p2] lr=0.01 momentum=0.5',
     run(lambda gs: O.SGD(gs, lr=0.1, momentum=0.9), groups=lambda a, b: [{'params': [a]}, {'params': [b], 'lr': 0.01, 'momentum': 0.5}])[0])
show('AdamW groups: [p1] lr=0.02 weight_decay=0.05; [p2] weight_decay=0, betas=(0.5, 0.9)',
     run(lambda gs: O.AdamW(gs, lr=0.02, weight_decay=0.05), groups=lambda a, b: [{'params': [a]}, {'params': [b], 'weight_decay': 0.0, 'betas': (0.5, 0.9)}])[0])

# State after 5 steps of the Adam case: step counts and moments.
_, opt, (p1, p2) = run(cases['Adam lr=0.01 betas=(0.8,0.99) eps=1e-6 weight_decay=0.1'])
for i, p in enumerate((p1, p2)):
    s = opt.state[p]
    print(f'// state {i}: step', s['step'].item())
    print('exp_avg', [lit(v, torch.float32) for v in s['exp_avg'].flatten().tolist()])
    print('exp_avg_sq', [lit(v, torch.float32) for v in s['exp_avg_sq'].flatten().tolist()])
_, opt, (p1, p2) = run(cases['SGD lr=0.1 momentum=0.8 weight_decay=0.05 nesterov'])
for i, p in enumerate((p1, p2)):
    print(f'// SGD state {i} momentum_buffer', [lit(v, torch.float32) for v in opt.state[p]['momentum_buffer'].flatten().tolist()])
