# Reference numbers for learning-pytorch-with-examples.test.ts: the tutorial's parts in PyTorch.
# Usage: python3 learning_pytorch_with_examples.py SEED [DYNAMICNET_STEPS]   (seeds 0-3 quoted in the test)
import torch, math, random, sys
seed = int(sys.argv[1]); torch.manual_seed(seed); random.seed(seed)
dtype = torch.float
device = torch.device("cpu")
res = {}
# 1 tensors
x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
y = torch.sin(x)
a = torch.randn((), device=device, dtype=dtype); b = torch.randn((), device=device, dtype=dtype)
c = torch.randn((), device=device, dtype=dtype); d = torch.randn((), device=device, dtype=dtype)
learning_rate = 1e-6
for t in range(2000):
    y_pred = a + b * x + c * x ** 2 + d * x ** 3
    loss = (y_pred - y).pow(2).sum().item()
    grad_y_pred = 2.0 * (y_pred - y)
    grad_a = grad_y_pred.sum(); grad_b = (grad_y_pred * x).sum()
    grad_c = (grad_y_pred * x ** 2).sum(); grad_d = (grad_y_pred * x ** 3).sum()
    a -= learning_rate * grad_a; b -= learning_rate * grad_b; c -= learning_rate * grad_c; d -= learning_rate * grad_d
res['tensors'] = (loss, a.item(), b.item(), c.item(), d.item())
# 2 autograd
a = torch.randn((), dtype=dtype, requires_grad=True); b = torch.randn((), dtype=dtype, requires_grad=True)
c = torch.randn((), dtype=dtype, requires_grad=True); d = torch.randn((), dtype=dtype, requires_grad=True)
for t in range(2000):
    y_pred = a + b * x + c * x ** 2 + d * x ** 3
    loss = (y_pred - y).pow(2).sum()
    loss.backward()
    with torch.no_grad():
        a -= learning_rate * a.grad; b -= learning_rate * b.grad; c -= learning_rate * c.grad; d -= learning_rate * d.grad
        a.grad = None; b.grad = None; c.grad = None; d.grad = None
res['autograd'] = (loss.item(), a.item(), b.item(), c.item(), d.item())
# nn
p = torch.tensor([1, 2, 3]); xx = x.unsqueeze(-1).pow(p)
model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
loss_fn = torch.nn.MSELoss(reduction='sum')
for t in range(2000):
    y_pred = model(xx); loss = loss_fn(y_pred, y)
    model.zero_grad(); loss.backward()
    with torch.no_grad():
        for param in model.parameters():
            param -= learning_rate * param.grad
l = model[0]
res['nn'] = (loss.item(), l.bias.item(), l.weight[:, 0].item(), l.weight[:, 1].item(), l.weight[:, 2].item())
# optim
model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
for t in range(2000):
    y_pred = model(xx); loss = loss_fn(y_pred, y)
    optimizer.zero_grad(); loss.backward(); optimizer.step()
l = model[0]
res['optim'] = (loss.item(), l.bias.item(), l.weight[:, 0].item(), l.weight[:, 1].item(), l.weight[:, 2].item())
class Polynomial3(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.nn.Parameter(torch.randn(())); self.b = torch.nn.Parameter(torch.randn(()))
        self.c = torch.nn.Parameter(torch.randn(())); self.d = torch.nn.Parameter(torch.randn(()))
    def forward(self, x):
        return self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3
model = Polynomial3()
criterion = torch.nn.MSELoss(reduction='sum')
optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)
for t in range(2000):
    y_pred = model(x); loss = criterion(y_pred, y)
    optimizer.zero_grad(); loss.backward(); optimizer.step()
res['module'] = (loss.item(), model.a.item(), model.b.item(), model.c.item(), model.d.item())
class DynamicNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.nn.Parameter(torch.randn(())); self.b = torch.nn.Parameter(torch.randn(()))
        self.c = torch.nn.Parameter(torch.randn(())); self.d = torch.nn.Parameter(torch.randn(()))
        self.e = torch.nn.Parameter(torch.randn(()))
    def forward(self, x):
        y = self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3
        for exp in range(4, random.randint(4, 6)):
            y = y + self.e * x ** exp
        return y
model = DynamicNet()
optimizer = torch.optim.SGD(model.parameters(), lr=1e-8, momentum=0.9)
N = int(sys.argv[2]) if len(sys.argv) > 2 else 30000
hist = []
for t in range(N):
    y_pred = model(x); loss = criterion(y_pred, y)
    if t % 2000 == 1999: hist.append(round(loss.item(), 1))
    optimizer.zero_grad(); loss.backward(); optimizer.step()
res['dynamic'] = (loss.item(), model.a.item(), model.b.item(), model.c.item(), model.d.item(), model.e.item(), hist)
for k, v in res.items(): print(k, v)

