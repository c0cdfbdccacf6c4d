import { openStore } from './src/open-store.ts';
import { storePathsIn } from './src/paths.ts';
const t0 = performance.now();
const store = openStore(storePathsIn(process.argv[2]!, 'arg'));
const t1 = performance.now();
const r = await store.rebuild({ writeProjectionJson: process.argv[3] === 'json' });
const t2 = performance.now();
console.log(JSON.stringify({ open: t1 - t0, rebuild: t2 - t1, ok: r.ok, events: r.ok ? r.eventCount : 0, rss: process.resourceUsage().maxRSS / 1024 }));
