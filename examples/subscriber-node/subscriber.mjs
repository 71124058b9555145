// A newsflow subscriber in JavaScript, with the NATS project's client
// (npm package "nats"), not newsflow's code: a durable pull consumer of its
// own on the articles stream. Each article is handled once and then
// acknowledged; the server keeps the consumer's progress, so a restart
// goes on where the last run stopped.
//
//   node subscriber.mjs [--url nats://127.0.0.1:4222] [--namespace newsflow]
//                       [--durable my-app] [--max N] [--idle-ms 2000]
//
// It prints one line per article: id, source, title (which may be absent:
// a page without a headline is still published). It stops after --max
// articles, or when nothing has come for --idle-ms.
import { connect, AckPolicy, DeliverPolicy } from "nats";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const url = args.url ?? "nats://127.0.0.1:4222";
const ns = args.namespace ?? "newsflow";
const durable = args.durable ?? "my-app";
const max = Number(args.max ?? Infinity);
const idleMs = Number(args["idle-ms"] ?? 2000);

// The names of newsflow.namespace (see README, Running beside other systems).
const stream = ns === "newsflow" ? "NEWS" : `${ns.toUpperCase()}_NEWS`;
const subject = ns === "newsflow" ? "news.article.>" : `${ns}.article.>`;

const nc = await connect({ servers: url, name: `newsflow-subscriber-${durable}` });
const jsm = await nc.jetstreamManager();
try {
  await jsm.consumers.info(stream, durable);
} catch {
  await jsm.consumers.add(stream, {
    durable_name: durable,
    filter_subject: subject,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
  });
}
const consumer = await nc.jetstream().consumers.get(stream, durable);

let seen = 0;
while (seen < max) {
  const m = await consumer.next({ expires: idleMs });
  if (m === null) break; // nothing came in time: caught up
  const a = m.json();
  if (a.schema !== "newsflow.article/v1") {
    console.error(`skipping a message of schema ${a.schema} on ${m.subject}`);
    m.term();
    continue;
  }
  console.log(JSON.stringify({ id: a.id, source: a.source, title: a.title ?? null }));
  await m.ackAck(); // the server has the progress before the next one
  seen++;
}
await nc.drain();
