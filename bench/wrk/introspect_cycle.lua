-- RFC 7662 introspection cycling over the tokens in TOKENS_FILE (one a line),
-- each wrk thread from its own offset. AUTH_BASIC and INTROSPECT_PATH from the environment.
local tokens = {}
-- assert() returns its message too; io.lines would take it as a format.
local file = assert(os.getenv("TOKENS_FILE"), "TOKENS_FILE not set")
for line in io.lines(file) do
  tokens[#tokens + 1] = line
end
local auth = "Basic " .. (assert(os.getenv("AUTH_BASIC"), "AUTH_BASIC not set"))
local path = (assert(os.getenv("INTROSPECT_PATH"), "INTROSPECT_PATH not set"))
local counter = 0
local threads = 0

function setup(thread)
  thread:set("offset", threads * 7919)
  threads = threads + 1
end

function init(args)
  counter = offset or 0
end

function request()
  counter = counter + 1
  local token = tokens[(counter % #tokens) + 1]
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Authorization"] = auth,
  }, "token=" .. token)
end
