// Port of PyTorch's "Word Embeddings: Encoding Lexical Semantics" (beginner/nlp/
// word_embeddings_tutorial): the N-Gram language model on Shakespeare's Sonnet 2 (CONTEXT_SIZE 2,
// EMBEDDING_DIM 10, NLLLoss, SGD lr 0.001, 10 epochs) and the CBOW exercise's data preparation
// and make_context_vector, line for line in camelCase.
// CHECKED against torch 1.13 (seeds 1-4): the first three n-grams and counts (113 n-grams, 97
// words); the epoch losses decrease every epoch, starting at 516-524 with steps of 2.0-2.7
// (as the tutorial prints: "The loss decreased every iteration over the training data!");
// the embedding of "beauty" has 10 numbers; CBOW's data[:5] and make_context_vector's int64
// indices; a small CBOW model trained on that data lowers its loss.
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { nn, optim } from "../../src/index.js";
import type { Tensor } from "../../src/index.js";

const F = nn.functional;

describe("Word Embeddings: Encoding Lexical Semantics", () => {
  it("An Example: N-Gram Language Modeling", () => {
    torch.manualSeed(1);

    const CONTEXT_SIZE = 2;
    const EMBEDDING_DIM = 10;
    // We will use Shakespeare Sonnet 2
    const testSentence = `When forty winters shall besiege thy brow,
And dig deep trenches in thy beauty's field,
Thy youth's proud livery so gazed on now,
Will be a totter'd weed of small worth held:
Then being asked, where all thy beauty lies,
Where all the treasure of thy lusty days;
To say, within thine own deep sunken eyes,
Were an all-eating shame, and thriftless praise.
How much more praise deserv'd thy beauty's use,
If thou couldst answer 'This fair child of mine
Shall sum my count, and make my old excuse,'
Proving his beauty by succession thine!
This were to be new made when thou art old,
And see thy blood warm when thou feel'st it cold.`.split(/\s+/);
    // we should tokenize the input, but we will ignore that for now
    // build a list of tuples.
    // Each tuple is ([ word_i-CONTEXT_SIZE, ..., word_i-1 ], target word)
    const ngrams: [string[], string][] = [];
    for (let i = CONTEXT_SIZE; i < testSentence.length; i++) {
      ngrams.push([
        Array.from({ length: CONTEXT_SIZE }, (_, j) => testSentence[i - j - 1]),
        testSentence[i],
      ]);
    }
    // Print the first 3, just so you can see what they look like.
    // torch: [(['forty', 'When'], 'winters'), (['winters', 'forty'], 'shall'), (['shall', 'winters'], 'besiege')]
    expect(ngrams.slice(0, 3)).toEqual([[["forty", "When"], "winters"], [["winters", "forty"], "shall"], [["shall", "winters"], "besiege"]]);

    const vocab = new Set(testSentence);
    const wordToIx = Object.fromEntries([...vocab].map((word, i) => [word, i]));
    expect([ngrams.length, vocab.size]).toEqual([113, 97]);

    class NGramLanguageModeler extends nn.Module {
      embeddings: nn.Embedding;
      linear1: nn.Linear;
      linear2: nn.Linear;

      constructor(vocabSize: number, embeddingDim: number, contextSize: number) {
        super();
        this.embeddings = new nn.Embedding(vocabSize, embeddingDim);
        this.linear1 = new nn.Linear(contextSize * embeddingDim, 128);
        this.linear2 = new nn.Linear(128, vocabSize);
      }

      override forward(inputs: Tensor): Tensor {
        const embeds = this.embeddings(inputs).view([1, -1]);
        let out = F.relu(this.linear1(embeds));
        out = this.linear2(out);
        const logProbs = F.logSoftmax(out, { dim: 1 });
        return logProbs;
      }
    }

    const losses: number[] = [];
    const lossFunction = new nn.NLLLoss();
    const model = new NGramLanguageModeler(vocab.size, EMBEDDING_DIM, CONTEXT_SIZE);
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.001 });

    for (let epoch = 0; epoch < 10; epoch++) {
      let totalLoss = 0;
      for (const [context, target] of ngrams) {
        // Step 1. Prepare the inputs to be passed to the model (i.e, turn the words
        // into integer indices and wrap them in tensors)
        const contextIdxs = torch.tensor(context.map((w) => wordToIx[w]), { dtype: torch.long });

        // Step 2. Recall that torch *accumulates* gradients. Before passing in a
        // new instance, you need to zero out the gradients from the old
        // instance
        model.zeroGrad();

        // Step 3. Run the forward pass, getting log probabilities over next
        // words
        const logProbs = model(contextIdxs);

        // Step 4. Compute your loss function. (Again, Torch wants the target
        // word wrapped in a tensor)
        const loss = lossFunction(logProbs, torch.tensor([wordToIx[target]], { dtype: torch.long }));

        // Step 5. Do the backward pass and update the gradient
        loss.backward();
        optimizer.step();

        // Get the Python number from a 1-element Tensor by calling tensor.item()
        totalLoss += loss.item();
      }
      losses.push(totalLoss);
    }
    // The loss decreased every iteration over the training data!
    expect(losses[0]).toBeGreaterThan(505);
    expect(losses[0]).toBeLessThan(535);
    for (let e = 1; e < 10; e++) {
      const step = losses[e - 1] - losses[e];
      expect(step).toBeGreaterThan(1.5);
      expect(step).toBeLessThan(3.5);
    }

    // To get the embedding of a particular word, e.g. "beauty"
    const beauty = model.embeddings.weight[wordToIx["beauty"]];
    expect(beauty.shape).toEqual([10]);
    expect(beauty.requiresGrad).toBe(true);
  });

  it("Exercise: Computing Word Embeddings: Continuous Bag-of-Words", () => {
    torch.manualSeed(1);
    const CONTEXT_SIZE = 2; // 2 words to the left, 2 to the right
    const rawText = `We are about to study the idea of a computational process.
Computational processes are abstract beings that inhabit computers.
As they evolve, processes manipulate other abstract things called data.
The evolution of a process is directed by a pattern of rules
called a program. People create programs to direct processes. In effect,
we conjure the spirits of the computer with our spells.`.split(/\s+/);

    // By deriving a set from `rawText`, we deduplicate the array
    const vocab = new Set(rawText);
    const vocabSize = vocab.size;

    const wordToIx = Object.fromEntries([...vocab].map((word, i) => [word, i]));
    const data: [string[], string][] = [];
    for (let i = CONTEXT_SIZE; i < rawText.length - CONTEXT_SIZE; i++) {
      const context = [
        ...Array.from({ length: CONTEXT_SIZE }, (_, j) => rawText[i - j - 1]),
        ...Array.from({ length: CONTEXT_SIZE }, (_, j) => rawText[i + j + 1]),
      ];
      const target = rawText[i];
      data.push([context, target]);
    }
    // torch: [(['are', 'We', 'to', 'study'], 'about'), (['about', 'are', 'study', 'the'], 'to'), ...]
    expect(data.slice(0, 2)).toEqual([[["are", "We", "to", "study"], "about"], [["about", "are", "study", "the"], "to"]]);
    expect([vocabSize, data.length]).toEqual([49, 58]);

    // Create your model and train. Here are some functions to help you make
    // the data ready for use by your module.
    function makeContextVector(context: string[], wordToIx: Record<string, number>): Tensor {
      const idxs = context.map((w) => wordToIx[w]);
      return torch.tensor(idxs, { dtype: torch.long });
    }

    const example = makeContextVector(data[0][0], wordToIx); // example
    expect(example.dtype).toBe("int64");
    expect(example.tolist()).toEqual([wordToIx.are, wordToIx.We, wordToIx.to, wordToIx.study]);

    // One answer to the exercise: sum the context embeddings, then a linear layer.
    class CBOW extends nn.Module {
      embeddings = new nn.Embedding(vocabSize, 10);
      linear = new nn.Linear(10, vocabSize);
      override forward(inputs: Tensor): Tensor {
        const embeds = this.embeddings(inputs).sum({ dim: 0, keepdim: true });
        return F.logSoftmax(this.linear(embeds), { dim: 1 });
      }
    }
    const model = new CBOW();
    const lossFunction = new nn.NLLLoss();
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.01 });
    const totals: number[] = [];
    for (let epoch = 0; epoch < 5; epoch++) {
      let total = 0;
      for (const [context, target] of data) {
        model.zeroGrad();
        const loss = lossFunction(model(makeContextVector(context, wordToIx)), torch.tensor([wordToIx[target]]));
        loss.backward();
        optimizer.step();
        total += loss.item();
      }
      totals.push(total);
    }
    expect(totals[4]).toBeLessThan(totals[0]);
  });
});
