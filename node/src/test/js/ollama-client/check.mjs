// Drives a Council node's Ollama-compatible endpoint with the official `ollama` npm client, unchanged,
// and prints what it saw as one JSON object on stdout (OllamaClientIT asserts on it).
// Usage: node check.mjs <base-url> <local-model> <peer-model>
import { Ollama } from 'ollama'

const [host, localModel, peerModel] = process.argv.slice(2)
if (!host || !localModel || !peerModel) {
  console.error('usage: node check.mjs <base-url> <local-model> <peer-model>')
  process.exit(2)
}
const ollama = new Ollama({ host })
const messages = [{ role: 'user', content: 'What makes a decision fair?' }]

async function streamedChat(model) {
  const parts = []
  let last = null
  for await (const part of await ollama.chat({ model, messages, stream: true })) {
    parts.push(part)
    last = part
  }
  return {
    chunks: parts.filter((p) => !p.done).length,
    roles: [...new Set(parts.map((p) => p.message?.role))],
    content: parts.map((p) => p.message?.content ?? '').join(''),
    model: last?.model,
    done: last?.done,
    done_reason: last?.done_reason,
    eval_count: last?.eval_count,
    total_duration: last?.total_duration,
  }
}

async function wholeChat(model) {
  const r = await ollama.chat({ model, messages, stream: false })
  return { content: r.message.content, role: r.message.role, done: r.done, done_reason: r.done_reason, eval_count: r.eval_count }
}

async function failure(fn) {
  try {
    await fn()
    return { error: null }
  } catch (e) {
    return { error: e.error ?? String(e), status: e.status_code ?? null }
  }
}

const out = {}
out.version = (await ollama.version()).version
out.list = (await ollama.list()).models.map((m) => ({ name: m.name, family: m.details?.family, format: m.details?.format }))
const shown = await ollama.show({ model: localModel })
out.show = { family: shown.details?.family, capabilities: shown.capabilities }
out.local = { streamed: await streamedChat(localModel), whole: await wholeChat(localModel) }
out.generate = (await ollama.generate({ model: localModel, prompt: 'Why?', stream: false })).response
out.peer = { streamed: await streamedChat(peerModel), whole: await wholeChat(peerModel) }
out.council = { streamed: await streamedChat('council'), whole: await wholeChat('council') }
// tools, format and think for the local model and a peer's (carried in the signed request)
const weather = [{ type: 'function', function: { name: 'get_weather', description: 'Weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }]
const ask = [{ role: 'user', content: 'Weather in Paris?' }]
async function features(model) {
  const f = {}
  const called = await ollama.chat({ model, messages: ask, tools: weather, stream: false })
  const answered = await ollama.chat({ model, tools: weather, stream: false, messages: [...ask, called.message,
    { role: 'tool', content: '18 degrees, sunny', tool_name: 'get_weather' }] })
  f.tool_round_trip = {
    calls: called.message.tool_calls ?? [],
    answer_calls: answered.message.tool_calls ?? [], answer: answered.message.content,
  }
  const structured = await ollama.chat({ model, messages, stream: false, format: {
    type: 'object', properties: { fair: { type: 'boolean' }, score: { type: 'integer', minimum: 1, maximum: 5 } },
    required: ['fair', 'score'] } })
  f.json_schema = JSON.parse(structured.message.content)
  const thought = []
  for await (const part of await ollama.chat({ model, messages, think: true, stream: true })) {
    thought.push(part.message?.thinking ?? '')
  }
  f.thinking = thought.join('')
  return f
}
Object.assign(out, await features(localModel))
out.peer_features = await features(peerModel)
const embedded = await ollama.embed({ model: localModel, input: ['fair', 'unfair'] })
out.embed = { count: embedded.embeddings.length, dims: embedded.embeddings[0].length }
out.legacy_embedding = (await ollama.embeddings({ model: localModel, prompt: 'fair' })).embedding.length
// a peer's model embeds too: an embedding job over the network, with its receipt
const peerEmbedded = await ollama.embed({ model: peerModel, input: ['fair', 'unfair'] })
out.peer_embed = { count: peerEmbedded.embeddings.length, dims: peerEmbedded.embeddings[0].length,
  first: peerEmbedded.embeddings[0], prompt_eval_count: peerEmbedded.prompt_eval_count }
out.peer_legacy_embedding = (await ollama.embeddings({ model: peerModel, prompt: 'fair' })).embedding
out.missing = await failure(() => ollama.chat({ model: 'no-such-model', messages, stream: false }))
console.log(JSON.stringify(out))
