-- Argo CD health check for refit.dev/OSUpdatePolicy
-- (argocd-cm key: resource.customizations.health.refit.dev_OSUpdatePolicy).
--
-- Refit's operator writes only a policy's status: observedGeneration, and the conditions Ready,
-- Progressing, Degraded and Paused, each with the generation it was computed from. The first
-- rule that holds decides:
--   1. no status or no conditions yet             Progressing  Refit has not reported yet
--   2. status older than metadata.generation      Progressing  Refit has not acted on the edit
--   3. Degraded True                              Degraded     halted, a spec problem, or nodes
--                                                              left behind (NodesNeedAttention)
--   4. Paused True, or spec.rollout.paused        Suspended    no further node is taken down
--   5. Ready True                                 Healthy      every node runs the target
--   6. Ready False, reason NoMatchingNodes        Healthy      nothing to update (message says so)
--   7. Progressing False, reason Complete         Degraded     the rollout ended with nodes
--                                                              failed or skipped
--   8. anything else                              Progressing  rolling out, staging, a drain
--                                                              blocked, waiting for a window
-- Messages quote the condition's reason and message as Refit wrote them. Argo CD runs health
-- checks without Lua's standard libraries by default, so only base Lua is used here.

local function number(value)
  if value == nil then
    return nil
  end
  return tonumber(value)
end

local function condition(conditions, wanted)
  for _, c in ipairs(conditions) do
    if c.type == wanted then
      return c
    end
  end
  return nil
end

local function isTrue(c)
  return c ~= nil and c.status == "True"
end

-- "Reason: message", as Refit wrote them.
local function said(c)
  local text = c.reason or c.type
  if c.message ~= nil and c.message ~= "" then
    text = text .. ": " .. c.message
  end
  return text
end

local hs = {}
local status = obj.status or {}
local conditions = status.conditions or {}

if #conditions == 0 then
  hs.status = "Progressing"
  hs.message = "waiting for the Refit operator to report on this policy (no status yet)"
  return hs
end

local generation = number(obj.metadata.generation)
if generation ~= nil then
  local seen = number(status.observedGeneration)
  for _, c in ipairs(conditions) do
    local at = number(c.observedGeneration)
    if at ~= nil and (seen == nil or at < seen) then
      seen = at
    end
  end
  if seen == nil or seen < generation then
    hs.status = "Progressing"
    hs.message = "waiting for the Refit operator to act on generation " .. generation
      .. " of this policy (its status is from generation " .. (seen or "unknown") .. ")"
    return hs
  end
end

local ready = condition(conditions, "Ready")
local progressing = condition(conditions, "Progressing")
local degraded = condition(conditions, "Degraded")
local paused = condition(conditions, "Paused")
local spec = obj.spec or {}
local rollout = spec.rollout or {}

if isTrue(degraded) then
  hs.status = "Degraded"
  hs.message = said(degraded)
  return hs
end

if isTrue(paused) or rollout.paused == true then
  local text = "spec.rollout.paused is true: no node starts a disruption until it is set to false"
  if isTrue(paused) then
    text = said(paused)
  end
  if isTrue(progressing) then
    text = text .. "; " .. said(progressing)
  elseif ready ~= nil and ready.message ~= nil then
    text = text .. "; " .. ready.message
  end
  hs.status = "Suspended"
  hs.message = text
  return hs
end

if isTrue(ready) then
  hs.status = "Healthy"
  hs.message = ready.message or "every managed node runs the target"
  return hs
end

if ready ~= nil and ready.reason == "NoMatchingNodes" then
  hs.status = "Healthy"
  hs.message = said(ready)
  return hs
end

if progressing ~= nil and progressing.status == "False" and progressing.reason == "Complete" then
  local text = "the rollout has gone as far as it can"
  if ready ~= nil and ready.message ~= nil then
    text = ready.message .. "; " .. text
  end
  local left = ""
  for _, p in ipairs(status.problems or {}) do
    if p.reason ~= "DrainBlocked" and p.node ~= nil then
      if left ~= "" then
        left = left .. ", "
      end
      left = left .. p.node .. " (" .. (p.reason or "unknown") .. ")"
    end
  end
  if left ~= "" then
    text = text .. ": " .. left
  end
  hs.status = "Degraded"
  hs.message = text .. "; delete a node's OSNode to start that node over"
  return hs
end

hs.status = "Progressing"
if progressing ~= nil then
  hs.message = said(progressing)
elseif ready ~= nil then
  hs.message = said(ready)
else
  hs.message = "waiting for the Refit operator to report progress"
end
return hs
