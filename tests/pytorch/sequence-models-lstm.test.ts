// Port of PyTorch's "Sequence Models and Long Short-Term Memory Networks"
// (beginner/nlp/sequence_models_tutorial): the LSTM warm-up and the part-of-speech tagger
// (LSTMTagger: Embedding → LSTM → Linear → logSoftmax, NLLLoss, SGD lr 0.1, 300 epochs), line
// for line in camelCase. CHECKED: the LSTM returns (out, (h, c)) of PyTorch's shapes and a
// whole-sequence call equals stepping it; word_to_ix as printed by PyTorch; the tagger's last
// epoch loss is small (torch 1.13, seeds 1-3: 1.06-1.16 at epoch 0 → 0.024-0.042 at 299) and it
// tags "The dog ate the apple" as DET NN V DET NN (0 1 2 0 1) and the second sentence
// NN V DET NN, as in the tutorial. Seeded initial weights differ from PyTorch's.
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { nn, optim } from "../../src/index.js";
import type { Tensor } from "../../src/index.js";

const F = nn.functional;

describe("Sequence Models and LSTM Networks", () => {
  it("LSTM's in Pytorch: step by step or the whole sequence at once", () => {
    torch.manualSeed(1);

    const lstm = new nn.LSTM(3, 3); // Input dim is 3, output dim is 3
    const inputs = Array.from({ length: 5 }, () => torch.randn(1, 3)); // make a sequence of length 5

    // initialize the hidden state.
    let hidden: [Tensor, Tensor] = [torch.randn(1, 1, 3), torch.randn(1, 1, 3)];
    const hidden0 = hidden;
    let out!: Tensor;
    for (const i of inputs) {
      // Step through the sequence one element at a time.
      // after each step, hidden contains the hidden state.
      [out, hidden] = lstm(i.view(1, 1, -1), hidden);
    }
    const stepped = [out, ...hidden];

    const inputsSeq = torch.cat(inputs).view(inputs.length, 1, -1);
    [out, hidden] = lstm(inputsSeq, hidden0);
    expect(out.shape).toEqual([5, 1, 3]);
    expect(hidden[0].shape).toEqual([1, 1, 3]);
    expect(hidden[1].shape).toEqual([1, 1, 3]);
    // The last output is the last hidden state; both ways agree.
    expect(out.index(-1).allclose(hidden[0].index(0), { atol: 1e-6 })).toBe(true);
    expect(stepped[0].allclose(out.index("-1:"), { atol: 1e-6 })).toBe(true);
    expect(stepped[2].allclose(hidden[1], { atol: 1e-6 })).toBe(true);
  });

  it("Example: An LSTM for Part-of-Speech Tagging", () => {
    torch.manualSeed(1);

    function prepareSequence(seq: string[], toIx: Record<string, number>): Tensor {
      const idxs = seq.map((w) => toIx[w]);
      return torch.tensor(idxs, { dtype: torch.long });
    }

    const trainingData: [string[], string[]][] = [
      // Tags are: DET - determiner; NN - noun; V - verb
      // For example, the word "The" is a determiner
      ["The dog ate the apple".split(" "), ["DET", "NN", "V", "DET", "NN"]],
      ["Everybody read that book".split(" "), ["NN", "V", "DET", "NN"]],
    ];
    const wordToIx: Record<string, number> = {};
    // For each words-list (sentence) and tags-list in each tuple of trainingData
    for (const [sent, _tags] of trainingData) {
      for (const word of sent) {
        if (!(word in wordToIx)) { // word has not been assigned an index yet
          wordToIx[word] = Object.keys(wordToIx).length; // Assign each word with a unique index
        }
      }
    }
    // torch: {'The': 0, 'dog': 1, 'ate': 2, 'the': 3, 'apple': 4, 'Everybody': 5, 'read': 6, 'that': 7, 'book': 8}
    expect(wordToIx).toEqual({ The: 0, dog: 1, ate: 2, the: 3, apple: 4, Everybody: 5, read: 6, that: 7, book: 8 });
    const tagToIx: Record<string, number> = { DET: 0, NN: 1, V: 2 }; // Assign each tag with a unique index

    // These will usually be more like 32 or 64 dimensional.
    // We will keep them small, so we can see how the weights change as we train.
    const EMBEDDING_DIM = 6;
    const HIDDEN_DIM = 6;

    class LSTMTagger extends nn.Module {
      hiddenDim: number;
      wordEmbeddings: nn.Embedding;
      lstm: nn.LSTM;
      hidden2tag: nn.Linear;

      constructor(embeddingDim: number, hiddenDim: number, vocabSize: number, tagsetSize: number) {
        super();
        this.hiddenDim = hiddenDim;

        this.wordEmbeddings = new nn.Embedding(vocabSize, embeddingDim);

        // The LSTM takes word embeddings as inputs, and outputs hidden states
        // with dimensionality hiddenDim.
        this.lstm = new nn.LSTM(embeddingDim, hiddenDim);

        // The linear layer that maps from hidden state space to tag space
        this.hidden2tag = new nn.Linear(hiddenDim, tagsetSize);
      }

      override forward(sentence: Tensor): Tensor {
        const embeds = this.wordEmbeddings(sentence);
        const [lstmOut, _] = this.lstm(embeds.view(sentence.length, 1, -1));
        const tagSpace = this.hidden2tag(lstmOut.view(sentence.length, -1));
        const tagScores = F.logSoftmax(tagSpace, { dim: 1 });
        return tagScores;
      }
    }

    const model = new LSTMTagger(EMBEDDING_DIM, HIDDEN_DIM, Object.keys(wordToIx).length, Object.keys(tagToIx).length);
    const lossFunction = new nn.NLLLoss();
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });

    // See what the scores are before training
    // Note that element i,j of the output is the score for tag j for word i.
    // Here we don't need to train, so the code is wrapped in noGrad()
    torch.noGrad(() => {
      const inputs = prepareSequence(trainingData[0][0], wordToIx);
      const tagScores = model(inputs);
      expect(tagScores.shape).toEqual([5, 3]);
    });

    const losses: number[] = [];
    for (let epoch = 0; epoch < 300; epoch++) { // again, normally you would NOT do 300 epochs, it is toy data
      for (const [sentence, tags] of trainingData) {
        // Step 1. Remember that Pytorch accumulates gradients.
        // We need to clear them out before each instance
        model.zeroGrad();

        // Step 2. Get our inputs ready for the network, that is, turn them into
        // Tensors of word indices.
        const sentenceIn = prepareSequence(sentence, wordToIx);
        const targets = prepareSequence(tags, tagToIx);

        // Step 3. Run our forward pass.
        const tagScores = model(sentenceIn);

        // Step 4. Compute the loss, gradients, and update the parameters by
        //  calling optimizer.step()
        const loss = lossFunction(tagScores, targets);
        loss.backward();
        optimizer.step();
        if (epoch === 0 || epoch === 299) losses.push(loss.item());
      }
    }

    // See what the scores are after training
    torch.noGrad(() => {
      const inputs = prepareSequence(trainingData[0][0], wordToIx);
      const tagScores = model(inputs);

      // The sentence is "the dog ate the apple".  i,j corresponds to score for tag j
      // for word i. The predicted tag is the maximum scoring tag.
      // Here, we can see the predicted sequence below is 0 1 2 0 1
      // since 0 is index of the maximum value of row 1,
      // 1 is the index of maximum value of row 2, etc.
      // Which is DET NOUN VERB DET NOUN, the correct sequence!
      expect(tagScores.argmax(1).tolist()).toEqual([0, 1, 2, 0, 1]);
      expect(model(prepareSequence(trainingData[1][0], wordToIx)).argmax(1).tolist()).toEqual([1, 2, 0, 1]);
      // Each row is a log-distribution over the three tags.
      expect(tagScores.exp().sum(1).allclose(torch.ones(5), { atol: 1e-5 })).toBe(true);
    });
    expect(losses[0]).toBeGreaterThan(0.5);
    expect(losses[0]).toBeLessThan(2);
    expect(losses.at(-1)!).toBeLessThan(0.1);
  });
});
