-- bug-links.lua: links Launchpad bug numbers mentioned in the text.
--
--   specsite render --filter filters/bug-links.lua spec.rst
--
-- Specs cite bugs in passing: "fixes bug 1512479", "see LP #1272349",
-- "LP#1383741". Each such mention (whole words; "bug", "Bug", "LP" or
-- "lp", an optional "#", then 5 to 8 digits) becomes a link to
-- https://bugs.launchpad.net/bugs/<number>, with the class "bug":
--
--   <a class="reference external bug"
--      href="https://bugs.launchpad.net/bugs/1512479">bug 1512479</a>
--
-- Only running text is linked: paragraphs and lines of line blocks, and
-- the emphasis and strong inside them. Literals, code, existing links
-- and titles are left alone ("debug 1234567" is not a mention either).

local URL = "https://bugs.launchpad.net/bugs/"

-- A mention starts with one of these words (compared lower-case); the
-- pattern, anchored where the word was found, captures the number.
-- Looking for the words with plain searches (memchr) and trying the
-- pattern only there is far cheaper than a pattern tried at every
-- position of every paragraph.
local WORDS = {
  { word = "bug", pattern = "^bug ?#?(%d+)%f[%W]" },
  { word = "lp", pattern = "^lp ?#(%d+)%f[%W]" },
}

-- The first mention in s at or after init: start, end, number. `lower`
-- is s:lower() (same positions: only ASCII letters change).
local function next_mention(s, init, lower)
  lower = lower or s:lower()
  local best_i, best_j, best_n
  for _, w in ipairs(WORDS) do
    local from = init
    while true do
      local i = lower:find(w.word, from, true)
      if not i or (best_i and i >= best_i) then
        break
      end
      -- a whole word: nothing alphanumeric just before it
      if i == 1 or not lower:sub(i - 1, i - 1):find("%w") then
        local _, j, n = lower:find(w.pattern, i)
        if j and #n >= 5 and #n <= 8 then
          best_i, best_j, best_n = i, j, n
          break
        end
      end
      from = i + 1
    end
  end
  return best_i, best_j, best_n
end

-- The nodes for a text with mentions, or nil when it has none.
local function split(text)
  local out, pos, lower = {}, 1, text:lower()
  while true do
    local i, j, n = next_mention(text, pos, lower)
    if not i then
      break
    end
    if i > pos then
      out[#out + 1] = specsite.text(text:sub(pos, i - 1))
    end
    out[#out + 1] = specsite.node("reference",
      { refuri = URL .. n, classes = { "bug" } },
      { specsite.text(text:sub(i, j)) })
    pos = j + 1
  end
  if #out == 0 then
    return nil
  end
  if pos <= #text then
    out[#out + 1] = specsite.text(text:sub(pos))
  end
  return out
end

-- Inline elements whose text is running text too.
local DESCEND = { emphasis = true, strong = true }

-- Links the mentions among node's children; true when any.
local function link(node)
  local changed, children = false, {}
  for _, c in ipairs(node.children) do
    local parts = c.kind == "text" and split(c.text)
    if parts then
      for _, p in ipairs(parts) do
        children[#children + 1] = p
      end
      changed = true
    else
      if DESCEND[c.kind] and link(c) then
        changed = true
      end
      children[#children + 1] = c
    end
  end
  if changed then
    node.children = children
  end
  return changed
end

local function block(node)
  -- Most paragraphs mention no bug: look at their text first before
  -- taking their children apart.
  if not next_mention(specsite.stringify(node), 1) then
    return nil
  end
  if link(node) then
    return node
  end
end

return {
  paragraph = block,
  line = block,
}
