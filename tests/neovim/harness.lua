-- Headless Neovim session for tests/neovim/test_neovim.py (Neovim 0.7 to 0.11+).
--
-- Sources FACTLINT_NVIM_SETUP, the set-up snippet read from docs/editors.md as a user would
-- paste it into init.lua, opens FACTLINT_NVIM_DRAFT (its FileType autocommand or
-- vim.lsp.enable starts `factlint serve`), waits for the server's diagnostics, then asks
-- for a hover, a definition and the code actions of the first diagnostic, applies the
-- preferred quick fix, waits for the new diagnostics, and writes everything as JSON to
-- FACTLINT_NVIM_OUT before quitting.

local out_path = vim.env.FACTLINT_NVIM_OUT
local timeout = tonumber(vim.env.FACTLINT_NVIM_TIMEOUT_MS or '120000')

local report = { errors = {} }
local v = vim.version()
report.nvim_version = string.format('%d.%d.%d', v.major, v.minor, v.patch)
local has_011 = vim.fn.has('nvim-0.11') == 1

local function finish()
  if out_path then
    local f = io.open(out_path, 'w')
    if f then
      f:write(vim.fn.json_encode(report))
      f:close()
    end
  end
  vim.cmd('qall!')
end

local function collect(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = (d.user_data and d.user_data.lsp) or {}
    table.insert(out, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, message = d.message, source = d.source,
      code = d.code or lsp.code,
    })
  end
  table.sort(out, function(a, b)
    if a.lnum ~= b.lnum then return a.lnum < b.lnum end
    return a.col < b.col
  end)
  return out
end

local function factlint_client(bufnr)
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  for _, c in ipairs(get({ bufnr = bufnr })) do
    if c.name == 'factlint' then return c end
  end
  return nil
end

local function request(client, method, params, bufnr)
  local res
  if has_011 then
    res = client:request_sync(method, params, 10000, bufnr)
  else
    res = client.request_sync(method, params, 10000, bufnr)
  end
  return res and res.result or vim.NIL
end

local ok, err = pcall(function()
  assert(out_path, 'FACTLINT_NVIM_OUT not set')
  local draft = assert(vim.env.FACTLINT_NVIM_DRAFT, 'FACTLINT_NVIM_DRAFT not set')
  local setup = assert(vim.env.FACTLINT_NVIM_SETUP, 'FACTLINT_NVIM_SETUP not set')

  local publications = {}
  local uri = vim.uri_from_fname(draft)
  local default_publish = vim.lsp.handlers['textDocument/publishDiagnostics']
  vim.lsp.handlers['textDocument/publishDiagnostics'] = function(e, result, ctx, config)
    default_publish(e, result, ctx, config)
    if result and result.uri == uri then
      table.insert(publications, { version = result.version, count = #result.diagnostics })
    end
  end

  vim.cmd('filetype on')
  dofile(setup)  -- the documented init.lua snippet, as is
  vim.cmd('edit ' .. vim.fn.fnameescape(draft))
  local bufnr = vim.api.nvim_get_current_buf()

  assert(vim.wait(timeout, function() return factlint_client(bufnr) ~= nil end, 50),
    'the documented set-up attached no factlint client to the draft')
  assert(vim.wait(timeout, function() return #publications > 0 end, 50),
    'no diagnostics published within the timeout')
  local client = factlint_client(bufnr)
  report.offset_encoding = client.offset_encoding
  report.publications = publications
  report.diagnostics = collect(bufnr)

  local first = report.diagnostics[1]
  if first == nil then return end
  local at = { line = first.lnum, character = first.col + 1 }
  local doc = { uri = uri }
  report.hover = request(client, 'textDocument/hover', { textDocument = doc, position = at },
    bufnr)
  report.definition = request(client, 'textDocument/definition',
    { textDocument = doc, position = at }, bufnr)

  local line_diags = {}
  if vim.lsp.diagnostic.get_line_diagnostics and not has_011 then  -- 0.7 .. 0.10
    line_diags = vim.lsp.diagnostic.get_line_diagnostics(bufnr, first.lnum)
  else
    for _, d in ipairs(vim.diagnostic.get(bufnr, { lnum = first.lnum })) do
      if d.user_data and d.user_data.lsp then table.insert(line_diags, d.user_data.lsp) end
    end
  end
  local actions = request(client, 'textDocument/codeAction', {
    textDocument = doc,
    range = { start = at, ['end'] = at },
    context = { diagnostics = line_diags },
  }, bufnr)
  report.actions = {}
  local preferred
  for _, action in ipairs(actions ~= vim.NIL and actions or {}) do
    table.insert(report.actions, action.title)
    if action.isPreferred and preferred == nil then preferred = action end
  end
  if preferred ~= nil then
    local before = #publications
    vim.lsp.util.apply_workspace_edit(preferred.edit, client.offset_encoding or 'utf-16')
    assert(vim.wait(timeout, function() return #publications > before end, 50),
      'no diagnostics after applying the quick fix')
    -- the server may first re-publish the old findings at their moved positions; the check
    -- of the edited text follows after its debounce
    vim.wait(10000, function()
      for _, d in ipairs(collect(bufnr)) do
        if d.lnum == first.lnum and d.code == first.code then return false end
      end
      return true
    end, 50)
    report.after_fix = collect(bufnr)
    report.after_fix_line = vim.api.nvim_buf_get_lines(bufnr, first.lnum, first.lnum + 1,
      false)[1]
  end
  if has_011 then client:stop() else client.stop() end
end)
if not ok then
  table.insert(report.errors, tostring(err))
end
finish()
