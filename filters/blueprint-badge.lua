-- blueprint-badge.lua: shows links to Launchpad blueprints as badges.
--
--   specsite render --filter filters/blueprint-badge.lua spec.rst
--
-- Specs link their blueprint, e.g.
--   https://blueprints.launchpad.net/fuel/+spec/nailgun-api-v2
-- A reference whose refuri points at blueprints.launchpad.net (http or
-- https, any path) gets the classes "badge" and "blueprint" (each once),
-- which the theme can draw as a badge. Other links are unchanged.

-- The host must be exactly blueprints.launchpad.net (not, say,
-- blueprints.launchpad.net.example.com).
local function is_blueprint(uri)
  if type(uri) ~= "string" then
    return false
  end
  local host = uri:match("^[hH][tT][tT][pP][sS]?://([^/:?#]+)")
  return host ~= nil and host:lower() == "blueprints.launchpad.net"
end

local function add_class(classes, name)
  for _, c in ipairs(classes) do
    if c == name then
      return
    end
  end
  table.insert(classes, name)
end

return {
  reference = function(node)
    if not is_blueprint(node.attributes.refuri) then
      return nil
    end
    add_class(node.attributes.classes, "badge")
    add_class(node.attributes.classes, "blueprint")
    return node
  end,
}
