// The browser entry's types: the default export initialises the module before use.
import init, { Policy, type ClassifyResult } from 'caseflow-wasm/web';

export async function classifyInBrowser(description: string): Promise<ClassifyResult> {
  await init();
  return new Policy().classify({
    id: 'F-1',
    project: 'P-1',
    channel: 'online',
    description,
    raised_at: '2026-03-02T09:15:00+08:00',
    location: '1号楼',
    contact: { email: 'owner@example.com' },
  });
}
