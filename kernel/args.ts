/**
 * Command-line option parsing shared by the gradnote commands: `--name value` or `--name=value`
 * options and bare flags, each removed from the argument list as it is read, so what is left
 * over can be reported as unknown.
 */

export function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) {
    const v = args[i + 1];
    if (v === undefined || v.startsWith("--")) throw new Error(`${name} needs a value`);
    args.splice(i, 2);
    return v;
  }
  const eq = args.find((a) => a.startsWith(`${name}=`));
  if (eq) {
    args.splice(args.indexOf(eq), 1);
    return eq.slice(name.length + 1);
  }
  return undefined;
}

export function flag(args: string[], name: string): boolean {
  const i = args.indexOf(name);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
}
