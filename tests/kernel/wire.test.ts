import { describe, expect, it } from "vitest";
import { decode, encode, makeHeader, Signer, WireError } from "../../kernel/wire.js";

const msg = () => ({ header: makeHeader("kernel_info_request", "s1"), parent_header: {}, metadata: {}, content: { a: 1 } });

describe("wire format", () => {
  it("round-trips a signed message with identities and buffers", () => {
    const signer = new Signer("secret");
    const frames = encode({ ...msg(), identities: [Buffer.from("id1")], buffers: [Buffer.from([1, 2])] }, signer);
    const back = decode(frames, signer);
    expect(back.identities.map(String)).toEqual(["id1"]);
    expect(back.header.msg_type).toBe("kernel_info_request");
    expect(back.content).toEqual({ a: 1 });
    expect(back.buffers[0]).toEqual(Buffer.from([1, 2]));
  });

  it("rejects a tampered content frame", () => {
    const signer = new Signer("secret");
    const frames = encode(msg(), signer);
    frames[frames.length - 1] = Buffer.from(JSON.stringify({ a: 2 }));
    expect(() => decode(frames, signer)).toThrow(/bad or missing HMAC signature/);
  });

  it("rejects a missing signature when a key is set", () => {
    const frames = encode(msg(), new Signer(""));
    expect(() => decode(frames, new Signer("secret"))).toThrow(WireError);
  });

  it("rejects a message signed with another key", () => {
    const frames = encode(msg(), new Signer("other"));
    expect(() => decode(frames, new Signer("secret"))).toThrow(/signature/);
  });

  it("accepts unsigned messages when the key is empty", () => {
    const frames = encode(msg(), new Signer(""));
    expect(frames[1].length).toBe(0);
    expect(decode(frames, new Signer("")).content).toEqual({ a: 1 });
  });

  it("signs the exact bytes received, not a re-serialisation", () => {
    const signer = new Signer("k");
    const header = Buffer.from('{"msg_id":"1",  "msg_type":"x"}');
    const parts = [header, Buffer.from("{}"), Buffer.from("{}"), Buffer.from('{ "z": 1 }')];
    const frames = [Buffer.from("<IDS|MSG>"), Buffer.from(signer.sign(parts)), ...parts];
    expect(decode(frames, signer).content).toEqual({ z: 1 });
  });

  it("names what is wrong with malformed frames", () => {
    const signer = new Signer("");
    expect(() => decode([Buffer.from("x")], signer)).toThrow(/delimiter/);
    expect(() => decode([Buffer.from("<IDS|MSG>"), Buffer.from("")], signer)).toThrow(/at least 5 frames/);
    const bad = [Buffer.from("<IDS|MSG>"), Buffer.from(""), Buffer.from("{not json"), Buffer.from("{}"), Buffer.from("{}"), Buffer.from("{}")];
    expect(() => decode(bad, signer)).toThrow(/invalid JSON in header/);
    const noType = [Buffer.from("<IDS|MSG>"), Buffer.from(""), Buffer.from('{"msg_id":"1"}'), Buffer.from("{}"), Buffer.from("{}"), Buffer.from("{}")];
    expect(() => decode(noType, signer)).toThrow(/header.msg_type/);
  });

  it("refuses an unsupported signature scheme", () => {
    expect(() => new Signer("k", "hmac-md5")).toThrow(/unsupported signature_scheme/);
  });
});
