// Waits until a gradnote kernel's language worker (loaded in the background) answers: a cell with
// a type error runs until its "⚠ type" warning comes back. For bench/kernel.mjs and runtime-cells.mjs.
export async function waitForTypeChecker(client, label = "the language worker") {
  for (let i = 0; i < 240; i++) {
    const r = await client.execute(`const warmCheck${i}: number = "text";`);
    if (r.iopub.some((m) => m.header.msg_type === "stream" && m.content.name === "stderr" && m.content.text.includes("⚠ type"))) return;
    await new Promise((res) => setTimeout(res, 250));
  }
  throw new Error(`${label} never answered (no type warning within 60 s)`);
}
