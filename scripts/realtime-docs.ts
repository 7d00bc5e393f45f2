/**
 * Generates lib/docs/realtime-events.json, the Socket.IO events page's table, from the typed contract
 * (lib/realtime/contract.ts) with the TypeScript checker: event names, their payload fields with types, ack data
 * and doc comments. Run by `npm run build` and `npm run docs:realtime`; tests/unit/realtime-docs.test.ts fails
 * when the checked-in file is stale, so the page never drifts from the contract.
 *
 *   node --import tsx scripts/realtime-docs.ts          write the file
 *   node --import tsx scripts/realtime-docs.ts --check  exit 1 when it is stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export interface FieldDoc {
  name: string;
  type: string;
  optional: boolean;
}
export interface EventDoc {
  event: string;
  description: string;
  payload: FieldDoc[];
  /** Client → server only: the acknowledgement's `data` on success. */
  ack?: FieldDoc[];
}
export interface RealtimeDocs {
  clientToServer: EventDoc[];
  serverToClient: EventDoc[];
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const contractPath = path.join(root, 'lib/realtime/contract.ts');
export const outPath = path.join(root, 'lib/docs/realtime-events.json');

export function generateRealtimeDocs(): RealtimeDocs {
  const program = ts.createProgram([contractPath], { strict: true, noEmit: true, skipLibCheck: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022 });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(contractPath)!;
  const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope;
  const text = (t: ts.Type) => checker.typeToString(t, undefined, flags).replace(/import\("[^"]+"\)\./g, '');

  const declaredType = (p: ts.Symbol): string | undefined => {
    const d = p.valueDeclaration;
    return d && ts.isPropertySignature(d) && d.type ? d.type.getText().replace(/\s+/g, ' ') : undefined;
  };
  const fields = (t: ts.Type): FieldDoc[] => {
    if (t.isUnion() || t.getCallSignatures().length) return [{ name: '(value)', type: text(t), optional: false }];
    return checker.getPropertiesOfType(t).map((p) => ({
      name: p.name,
      // As written in the contract (`MessageDto`, `ReactionDto[]`), not the checker's expansion of a z.infer type.
      type: declaredType(p) ?? text(checker.getNonNullableType(checker.getTypeOfSymbol(p))),
      optional: (p.flags & ts.SymbolFlags.Optional) !== 0,
    }));
  };

  const events = (iface: string, withAck: boolean): EventDoc[] => {
    const decl = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === iface);
    if (!decl) throw new Error(`${iface} not found in contract.ts`);
    const type = checker.getTypeAtLocation(decl);
    return checker.getPropertiesOfType(type).map((prop) => {
      const sig = checker.getTypeOfSymbol(prop).getCallSignatures()[0]!;
      const [payload, ack] = sig.getParameters();
      const doc: EventDoc = {
        event: prop.name,
        description: ts.displayPartsToString(prop.getDocumentationComment(checker)).replace(/\s+/g, ' ').trim(),
        payload: payload ? fields(checker.getTypeOfSymbol(payload)) : [],
      };
      if (withAck && ack) {
        // ack: (res: Ack<T>) => void; Ack<T> = {ok:true, data:T} | {ok:false, error}
        const res = checker.getTypeOfSymbol(ack).getCallSignatures()[0]!.getParameters()[0]!;
        const union = checker.getTypeOfSymbol(res);
        const okBranch = (union.isUnion() ? union.types : [union]).find((m) => m.getProperty('data'));
        doc.ack = okBranch ? fields(checker.getTypeOfSymbol(okBranch.getProperty('data')!)) : [];
      }
      return doc;
    });
  };

  return { clientToServer: events('ClientToServerEvents', true), serverToClient: events('ServerToClientEvents', false) };
}

export function renderRealtimeDocs(): string {
  return `${JSON.stringify(generateRealtimeDocs(), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const next = renderRealtimeDocs();
  if (process.argv.includes('--check')) {
    const current = readFileSync(outPath, 'utf8');
    if (current !== next) {
      console.error(`${path.relative(root, outPath)} is stale: run node --import tsx scripts/realtime-docs.ts`);
      process.exit(1);
    }
  } else {
    writeFileSync(outPath, next);
    console.log(`wrote ${path.relative(root, outPath)}`);
  }
}
