-- external-links.lua: marks links that leave the site.
--
--   specsite render --filter filters/external-links.lua spec.rst
--
-- Every reference with a `refuri` (a link to a URL, as opposed to a
-- `refid` inside the page) gets the class "external", once, so a theme
-- can style it: in HTML, <a class="reference external" href="...">.
-- References to the page itself (refuri starting with "#") are left
-- alone.

return {
  reference = function(node)
    local uri = node.attributes.refuri
    if not uri or uri == "" or uri:sub(1, 1) == "#" then
      return nil
    end
    for _, c in ipairs(node.attributes.classes) do
      if c == "external" then
        return nil
      end
    end
    table.insert(node.attributes.classes, "external")
    return node
  end,
}
