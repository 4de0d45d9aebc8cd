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
// tools are served now: what is still refused is a tool_choice that forces a call
out.tools = await failure(() => openai.chat.completions.create({
  model: localModel, messages, tool_choice: 'required',
  tools: [{ type: 'function', function: { name: 'weather', parameters: { type: 'object', properties: {} } } }],
}))
// a tool-call round trip for the local model: the call (streamed as deltas, and whole), the result, the answer
const weather = [{ type: 'function', function: { name: 'get_weather', description: 'Weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1, maximum: 3 } },
    required: ['city', 'days'] } } }]
const ask = [{ role: 'user', content: 'Weather in Paris?' }]
const called = await openai.chat.completions.create({ model: localModel, messages: ask, tools: weather })
const call = called.choices[0].message.tool_calls?.[0]
const deltas = []
for await (const c of await openai.chat.completions.create({ model: localModel, messages: ask, tools: weather, stream: true })) {
  deltas.push(...(c.choices[0]?.delta?.tool_calls ?? []))
}
const answered = await openai.chat.completions.create({ model: localModel, tools: weather, messages: [...ask,
  called.choices[0].message, { role: 'tool', tool_call_id: call?.id, content: '18 degrees, sunny' }] })
out.tool_round_trip = {
  finish_reason: called.choices[0].finish_reason, name: call?.function?.name,
  arguments: call ? JSON.parse(call.function.arguments) : null,
  streamed_names: deltas.map((d) => d.function?.name).filter((n) => n),
  answer_finish_reason: answered.choices[0].finish_reason, answer: answered.choices[0].message.content,
}
const structured = await openai.chat.completions.create({ model: localModel, messages,
  response_format: { type: 'json_schema', json_schema: { name: 'verdict', strict: true, schema: {
    type: 'object', properties: { fair: { type: 'boolean' }, reasons: { type: 'array', items: { type: 'string' } } },
    required: ['fair', 'reasons'], additionalProperties: false } } } })
out.json_schema = JSON.parse(structured.choices[0].message.content)
const embedded = await openai.embeddings.create({ model: localModel, input: ['fair', 'unfair'] })
out.embeddings = { count: embedded.data.length, dims: embedded.data[0].embedding.length, object: embedded.object }
// a peer's model embeds too (the client asks for base64 and decodes it): an embedding job with its receipt
const peerEmbedded = await openai.embeddings.create({ model: peerModel, input: ['fair', 'unfair'] })
out.peer_embeddings = { count: peerEmbedded.data.length, dims: peerEmbedded.data[0].embedding.length,
  first: Array.from(peerEmbedded.data[0].embedding), model: peerEmbedded.model, usage: peerEmbedded.usage }
const reasoned = await openai.chat.completions.create({ model: localModel, messages, reasoning_effort: 'low' })
out.reasoning = reasoned.choices[0].message.reasoning ?? null
// the same for a peer's model: tools, schema and reasoning travel in the signed request
const peerCalled = await openai.chat.completions.create({ model: peerModel, messages: ask, tools: weather })
const peerCall = peerCalled.choices[0].message.tool_calls?.[0]
const peerDeltas = []
for await (const c of await openai.chat.completions.create({ model: peerModel, messages: ask, tools: weather, stream: true })) {
  peerDeltas.push(...(c.choices[0]?.delta?.tool_calls ?? []))
}
const peerAnswered = await openai.chat.completions.create({ model: peerModel, tools: weather, messages: [...ask,
  peerCalled.choices[0].message, { role: 'tool', tool_call_id: peerCall?.id, content: '18 degrees, sunny' }] })
const peerStructured = await openai.chat.completions.create({ model: peerModel, messages,
  response_format: { type: 'json_schema', json_schema: { name: 'verdict', strict: true, schema: {
    type: 'object', properties: { fair: { type: 'boolean' }, reasons: { type: 'array', items: { type: 'string' } } },
    required: ['fair', 'reasons'], additionalProperties: false } } } })
const peerReasoned = await openai.chat.completions.create({ model: peerModel, messages, reasoning_effort: 'low' })
out.peer_features = {
  tool_round_trip: {
    finish_reason: peerCalled.choices[0].finish_reason, name: peerCall?.function?.name,
    arguments: peerCall ? JSON.parse(peerCall.function.arguments) : null,
    streamed_names: peerDeltas.map((d) => d.function?.name).filter((n) => n),
    answer_finish_reason: peerAnswered.choices[0].finish_reason, answer: peerAnswered.choices[0].message.content,
  },
  json_schema: JSON.parse(peerStructured.choices[0].message.content),
  reasoning: peerReasoned.choices[0].message.reasoning ?? null,
}
out.missing = await failure(() => openai.chat.completions.create({ model: 'no-such-model', messages }))
out.missing_model = await failure(() => openai.models.retrieve('no-such-model'))
console.log(JSON.stringify(out))
