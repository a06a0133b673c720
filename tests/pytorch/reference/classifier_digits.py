# Reference numbers for training-a-classifier-digits.test.ts: the CIFAR-10 tutorial's recipe on the
# 8x8 digits. Usage: python3 classifier_digits.py SEED EPOCHS (seeds 0-2, 8 epochs quoted).
import torch, gzip, os, sys
import torch.nn as nn, torch.nn.functional as F, torch.optim as optim
from torch.utils.data import TensorDataset, DataLoader, random_split
rows = [list(map(float, l.split(','))) for l in gzip.open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../datasets/digits/digits.csv.gz'), 'rt').read().strip().split('\n') if l[0].isdigit()]
t = torch.tensor(rows); X = (t[:, :64].reshape(-1, 1, 8, 8) / 16 - 0.5) / 0.5; y = t[:, 64].long()
torch.manual_seed(int(sys.argv[1]))
trainset, testset = random_split(TensorDataset(X, y), [1497, 300])
trainloader = DataLoader(trainset, batch_size=4, shuffle=True); testloader = DataLoader(testset, batch_size=4)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 3, padding=1); self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 3, padding=1)
        self.fc1 = nn.Linear(16 * 2 * 2, 120); self.fc2 = nn.Linear(120, 84); self.fc3 = nn.Linear(84, 10)
    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x))); x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1); x = F.relu(self.fc1(x)); x = F.relu(self.fc2(x)); return self.fc3(x)
net = Net(); criterion = nn.CrossEntropyLoss(); optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
hist = []
for epoch in range(int(sys.argv[2])):
    running_loss = 0.0
    for i, (inputs, labels) in enumerate(trainloader, 0):
        optimizer.zero_grad(); loss = criterion(net(inputs), labels); loss.backward(); optimizer.step()
        running_loss += loss.item()
        if i % 100 == 99: hist.append(round(running_loss / 100, 3)); running_loss = 0.0
correct = total = 0
with torch.no_grad():
    for images, labels in testloader:
        _, predicted = torch.max(net(images), 1); total += labels.size(0); correct += (predicted == labels).sum().item()
print(hist, 100 * correct // total)
