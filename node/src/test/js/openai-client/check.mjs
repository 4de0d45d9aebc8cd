// Drives a Council node's OpenAI API (under /v1 on its Ollama-compatible port) with the official
// `openai` npm client, unchanged, and prints what it saw as one JSON object on stdout (OpenAiClientIT
// asserts on it). Usage: node check.mjs <base-url ending in /v1> <local-model> <peer-model>
import OpenAI from 'openai'

const [baseURL, localModel, peerModel] = process.argv.slice(2)
if (!baseURL || !localModel || !peerModel) {
  console.error('usage: node check.mjs <base-url ending in /v1> <local-model> <peer-model>')
  process.exit(2)
}
// the client insists on a key; a node without ollama.token ignores it, as Ollama does
const openai = new OpenAI({ baseURL, apiKey: 'council', maxRetries: 0 })
const messages = [{ role: 'user', content: 'What makes a decision fair?' }]

async function streamedChat(model) {
  const stream = await openai.chat.completions.create({
    model, messages, stream: true, stream_options: { include_usage: true },
  })
  const chunks = []
  for await (const chunk of stream) {
    chunks.push(chunk)
  }
  const withChoices = chunks.filter((c) => c.choices.length > 0)
  const last = chunks[chunks.length - 1]
  return {
    chunks: withChoices.filter((c) => c.choices[0].delta?.content).length,
    objects: [...new Set(chunks.map((c) => c.object))],
    ids: new Set(chunks.map((c) => c.id)).size,
    roles: [...new Set(withChoices.map((c) => c.choices[0].delta?.role).filter((r) => r))],
    content: withChoices.map((c) => c.choices[0].delta?.content ?? '').join(''),
    finish_reason: withChoices.map((c) => c.choices[0].finish_reason).filter((r) => r).join(','),
    usage_last: last.choices.length === 0 ? last.usage : null,
  }
}

async function wholeChat(model) {
  const r = await openai.chat.completions.create({ model, messages, temperature: 0.2 })
  return {
    object: r.object, id: r.id, model: r.model, role: r.choices[0].message.role,
    content: r.choices[0].message.content, finish_reason: r.choices[0].finish_reason, usage: r.usage,
  }
}

async function failure(fn) {
  try {
    await fn()
    return { error: null }
  } catch (e) {
    return {
      error: e.message, status: e.status ?? null, param: e.param ?? null, code: e.code ?? null,
      type: e.type ?? null, bad_request: e instanceof OpenAI.BadRequestError,
      not_found: e instanceof OpenAI.NotFoundError,
    }
  }
}

const out = {}
const models = []
for await (const m of openai.models.list()) {
  models.push({ id: m.id, object: m.object, owned_by: m.owned_by })
}
out.models = models
out.model = await openai.models.retrieve(localModel)
out.local = { streamed: await streamedChat(localModel), whole: await wholeChat(localModel) }
out.peer = { streamed: await streamedChat(peerModel), whole: await wholeChat(peerModel) }
out.council = { streamed: await streamedChat('council'), whole: await wholeChat('council') }
const completion = await openai.completions.create({ model: localModel, prompt: 'Once upon a time', max_tokens: 8 })
out.completion = { object: completion.object, text: completion.choices[0].text, usage: completion.usage }
const parts = []
for await (const c of await openai.completions.create({ model: peerModel, prompt: 'Once', stream: true })) {
  parts.push(c.choices[0]?.text ?? '')
}
out.streamed_completion = { chunks: parts.filter((p) => p).length, text: parts.join('') }
out.tools = await failure(() => openai.chat.completions.create({
  model: localModel, messages,
  tools: [{ type: 'function', function: { name: 'weather', parameters: { type: 'object', properties: {} } } }],
}))
out.missing = await failure(() => openai.chat.completions.create({ model: 'no-such-model', messages }))
out.missing_model = await failure(() => openai.models.retrieve('no-such-model'))
console.log(JSON.stringify(out))
