-- Argo CD health of an UnlearningRequest: Healthy when Complete (or a dry run Detected), Degraded when Failed or not accepted
-- (e.g. its model does not exist), Progressing while it is planned, unlearned, verified and rolled out.
local hs = {}
if obj.status == nil or obj.status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to accept the request"
  return hs
end
local conditions = {}
for _, c in ipairs(obj.status.conditions) do
  conditions[c.type] = c
end
local function is(type, value)
  return conditions[type] ~= nil and conditions[type].status == value
end
if is("Failed", "True") then
  hs.status = "Degraded"
  hs.message = conditions["Failed"].message
  return hs
end
if is("Complete", "True") then
  hs.status = "Healthy"
  hs.message = conditions["Complete"].message
  return hs
end
if is("Detected", "True") then
  hs.status = "Healthy"
  hs.message = conditions["Detected"].message
  return hs
end
if is("Accepted", "False") then
  hs.status = "Degraded"
  hs.message = conditions["Accepted"].message
  return hs
end
hs.status = "Progressing"
for _, type in ipairs({"RolledOut", "Verified", "Unlearning", "Detected", "Planned", "Accepted"}) do
  if conditions[type] ~= nil then
    hs.message = conditions[type].message
    return hs
  end
end
hs.message = "In progress"
return hs
