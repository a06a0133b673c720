# Reference output for autograd-mechanics.test.ts (torch 1.13): the printed values of the Gentle
# Introduction, the autograd mechanics notes and "Automatic Differentiation with torch.autograd".
import torch
import torch.nn.functional as F
a = torch.tensor([2., 3.], requires_grad=True)
b = torch.tensor([6., 4.], requires_grad=True)
Q = 3*a**3 - b**2
print(Q.grad_fn, Q.grad_fn.next_functions)
Q.backward(gradient=torch.tensor([1., 1.]))
print(9*a**2 == a.grad, -2*b == b.grad, a.grad, b.grad)
x = torch.tensor([0.5, -1., 2.], requires_grad=True)
y = x.sigmoid()
y.mul_(2)
try:
    y.sum().backward()
except RuntimeError as e:
    print("ERR", e)
try:
    x.mul_(2)
except RuntimeError as e:
    print("ERR", e)
m = x.mul(2); m.add_(1); print(m.grad_fn); m.sum().backward(); print(x.grad)
x = torch.ones(2, 2, requires_grad=True)
z = (x + 2) * (x + 2) * 3
out = z.mean()
print(z, out)
out.backward()
print(x.grad)
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = a * 2
b.retain_grad()
(b ** 2).sum().backward()
print(b.grad, a.grad)
v = torch.tensor([0., 0., 0.], requires_grad=True)
h = v.register_hook(lambda grad: grad * 2)
v.backward(torch.tensor([1., 2., 3.]))
print(v.grad)
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
g, = torch.autograd.grad((x ** 3).sum(), x, create_graph=True)
print(g, torch.autograd.grad(g.sum(), x))
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.sigmoid()
y.data.mul_(0)
print(y, y._version)
inp = torch.eye(4, 5, requires_grad=True)
out = (inp + 1).pow(2).t()
out.backward(torch.ones_like(out), retain_graph=True)
print(inp.grad)
x = torch.randn(4, 3, requires_grad=True)
t = x.detach().sigmoid()
y = torch.tensor([0, 2, 1, 1])
for name, v in dict(mse=F.mse_loss(x, t), ce=F.cross_entropy(x, y), nll=F.nll_loss(x, y), bcel=F.binary_cross_entropy_with_logits(x, t),
                    lsm=F.log_softmax(x, 1), sm=F.softmax(x, 1), var=x.var(1), std=x.std(), sum1=x.sum(1), mean1=x.mean(1),
                    lse=x.logsumexp(1), pow2=x ** 2, powt=x ** x, rpow=2 ** x, sq=x.square()).items():
    print(name, v.grad_fn)
