# Reference numbers for quickstart-fashion-mnist.test.ts: the Quickstart on the first 6,000 training
# and 1,000 test images (the bundled copy), read from the IDX files without torchvision.
# Usage: python3 quickstart.py SEED (seeds 0-2 quoted; accuracy after epochs 1..5).
import torch, gzip, os, struct, sys
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
def idx(p):
    b = gzip.open(p).read(); nd = b[3]; dims = struct.unpack('>' + 'I'*nd, b[4:4+4*nd])
    return torch.frombuffer(bytearray(b[4+4*nd:]), dtype=torch.uint8).reshape(dims)
D = os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../datasets/fashion-mnist/')
Xtr = idx(D+'train-images-idx3-ubyte.gz')[:6000].float().div(255).unsqueeze(1); ytr = idx(D+'train-labels-idx1-ubyte.gz')[:6000].long()
Xte = idx(D+'t10k-images-idx3-ubyte.gz')[:1000].float().div(255).unsqueeze(1); yte = idx(D+'t10k-labels-idx1-ubyte.gz')[:1000].long()
torch.manual_seed(int(sys.argv[1]))
train_dataloader = DataLoader(TensorDataset(Xtr, ytr), batch_size=64)
test_dataloader = DataLoader(TensorDataset(Xte, yte), batch_size=64)
class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(nn.Linear(28*28, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
    def forward(self, x):
        return self.linear_relu_stack(self.flatten(x))
model = NeuralNetwork()
loss_fn = nn.CrossEntropyLoss(); optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
def test():
    model.eval(); tl, c = 0, 0
    with torch.no_grad():
        for X, y in test_dataloader:
            pred = model(X); tl += loss_fn(pred, y).item(); c += (pred.argmax(1) == y).type(torch.float).sum().item()
    return round(100*c/1000, 1), round(tl/len(test_dataloader), 4)
print("init", test())
for t in range(5):
    model.train(); first=None
    for batch, (X, y) in enumerate(train_dataloader):
        loss = loss_fn(model(X), y); loss.backward(); optimizer.step(); optimizer.zero_grad()
        if batch == 0: first = loss.item()
    print(t+1, round(first,4), test())
