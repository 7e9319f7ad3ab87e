-- Argo CD health check for refit.dev/OSNode
-- (argocd-cm key: resource.customizations.health.refit.dev_OSNode).
--
-- The Refit operator records where the node is in its update in spec.state, with spec.reason and
-- spec.message; the node's agent (node-updater) reports in status how its last instruction went.
--   UpToDate                                      Healthy      runs the target
--   Failed, Skipped                               Degraded     left behind for this target until
--                                                              the OSNode is deleted
--   Pending, Staging, Staged, Cordoned, Draining,
--   Drained, Rebooting, Applying, Verifying,
--   RollingBack                                   Progressing  on its way; the message adds the
--                                                              agent's error when the current
--                                                              instruction failed
--   no spec.state yet                             Progressing
--   any other state                               Unknown
-- Argo CD runs health checks without Lua's standard libraries by default, so only base Lua is
-- used here.

local moving = {
  Pending = true,
  Staging = true,
  Staged = true,
  Cordoned = true,
  Draining = true,
  Drained = true,
  Rebooting = true,
  Applying = true,
  Verifying = true,
  RollingBack = true
}

local hs = {}
local spec = obj.spec or {}
local status = obj.status
local state = spec.state

-- "State (Reason): message", as the operator wrote them.
local function said()
  local text = state
  if spec.reason ~= nil and spec.reason ~= "" then
    text = text .. " (" .. spec.reason .. ")"
  end
  if spec.message ~= nil and spec.message ~= "" then
    text = text .. ": " .. spec.message
  end
  return text
end

if state == nil then
  hs.status = "Progressing"
  hs.message = "waiting for the Refit operator to write this node's work order"
  return hs
end

if state == "UpToDate" then
  hs.status = "Healthy"
  if spec.target ~= nil then
    hs.message = "UpToDate: runs " .. spec.target
  else
    hs.message = said()
  end
  return hs
end

if state == "Failed" then
  hs.status = "Degraded"
  if spec.reason == "Drifted" then
    hs.message = said()
  else
    hs.message = said() .. "; delete this OSNode to start the node over"
  end
  return hs
end

if state == "Skipped" then
  hs.status = "Degraded"
  hs.message = said() .. "; the node keeps its old OS for this target; delete this OSNode to start"
    .. " the node over"
  return hs
end

if moving[state] then
  local text = said()
  if status == nil then
    text = text .. "; no report from the node-updater on this node yet"
  elseif status.actionState == "Failed" and status.observedActionId ~= nil
      and status.observedActionId == spec.actionId and status.lastError ~= nil then
    text = text .. "; the node-updater reports " .. (status.lastError.reason or "an error")
    if status.lastError.message ~= nil then
      text = text .. ": " .. status.lastError.message
    end
  end
  hs.status = "Progressing"
  hs.message = text
  return hs
end

hs.status = "Unknown"
hs.message = "state " .. tostring(state) .. " is not one this health check knows"
return hs
