-- todo-warn.lua: warns about TODO, TBD and XXX left in a spec.
--
--   specsite render --filter filters/todo-warn.lua specs/9.0/foo.rst
--   specs/9.0/foo.rst:42: WARNING: TODO left in the text: "TODO: measure" (filter filters/todo-warn.lua:28)
--
-- It looks at the text of paragraphs, titles, terms and lines (so a word
-- in a literal block or a comment, where it may be code or a note to
-- reviewers, is left alone), as whole upper-case words only: "TODOs" or
-- "todo" do not count. The tree is not changed. Combine with -W to make a
-- spec with TODOs fail the build.

local markers = { "TODO", "TBD", "XXX" }

-- The first marker found in s as a whole word, and a short excerpt.
local function find_marker(s)
  for _, m in ipairs(markers) do
    -- (a plain search first: most text has no marker at all, and the
    -- pattern below tests every position)
    local i = s:find(m, 1, true) and s:find("%f[%w]" .. m .. "%f[%W]")
    if i then
      local excerpt = s:sub(i, i + 39):gsub("%s+", " ")
      return m, excerpt
    end
  end
end

local function check(node)
  local m, excerpt = find_marker(specsite.stringify(node))
  if m then
    specsite.warn(m .. ' left in the text: "' .. excerpt .. '"', node)
  end
end

return {
  paragraph = check,
  title = check,
  term = check,
  line = check,
}
