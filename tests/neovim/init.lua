-- Headless Neovim session for tests/neovim/test_neovim.py (works on Neovim 0.7+).
--
-- Opens FACTLINT_NVIM_DRAFT, starts `factlint serve` (FACTLINT_NVIM_CMD, a JSON list) with
-- vim.lsp.start_client + vim.lsp.buf_attach_client as a Neovim 0.7 user would, waits for
-- the server's diagnostics, then asks for a hover, a definition and the code actions of the
-- first diagnostic, applies the preferred quick fix, waits for the new diagnostics, and
-- writes everything as JSON to FACTLINT_NVIM_OUT before quitting.

local out_path = vim.env.FACTLINT_NVIM_OUT
local timeout = tonumber(vim.env.FACTLINT_NVIM_TIMEOUT_MS or '120000')

local report = { errors = {} }
local v = vim.version()
report.nvim_version = string.format('%d.%d.%d', v.major, v.minor, v.patch)

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

local ok, err = pcall(function()
  assert(out_path, 'FACTLINT_NVIM_OUT not set')
  local draft = assert(vim.env.FACTLINT_NVIM_DRAFT, 'FACTLINT_NVIM_DRAFT not set')
  local cmd_json = assert(vim.env.FACTLINT_NVIM_CMD, 'FACTLINT_NVIM_CMD not set')
  local cmd = vim.fn.json_decode(cmd_json)
  local root = vim.env.FACTLINT_NVIM_ROOT or vim.fn.getcwd()
  vim.cmd('edit ' .. vim.fn.fnameescape(draft))
  local bufnr = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(bufnr)

  local publications = {}
  local default_publish = vim.lsp.handlers['textDocument/publishDiagnostics']
  vim.lsp.handlers['textDocument/publishDiagnostics'] = function(e, result, ctx, config)
    default_publish(e, result, ctx, config)
    if result and result.uri == uri then
      table.insert(publications, { version = result.version, count = #result.diagnostics })
    end
  end

  local client_id = vim.lsp.start_client({
    name = 'factlint',
    cmd = cmd,
    root_dir = root,
    init_options = { debounceMs = 0 },
  })
  assert(client_id, 'vim.lsp.start_client failed')
  vim.lsp.buf_attach_client(bufnr, client_id)

  assert(vim.wait(timeout, function() return #publications > 0 end, 50),
    'no diagnostics published within the timeout')
  report.publications = publications
  report.diagnostics = collect(bufnr)

  local client = vim.lsp.get_client_by_id(client_id)
  local first = report.diagnostics[1]
  if first == nil then return end
  local at = { line = first.lnum, character = first.col + 1 }
  local doc = { uri = uri }

  local hover = client.request_sync('textDocument/hover',
    { textDocument = doc, position = at }, 10000, bufnr)
  report.hover = hover and hover.result or vim.NIL

  local definition = client.request_sync('textDocument/definition',
    { textDocument = doc, position = at }, 10000, bufnr)
  report.definition = definition and definition.result or vim.NIL

  local line_diags = {}
  if vim.lsp.diagnostic.get_line_diagnostics then  -- 0.7 .. 0.10
    line_diags = vim.lsp.diagnostic.get_line_diagnostics(bufnr, first.lnum)
  end
  local actions = client.request_sync('textDocument/codeAction', {
    textDocument = doc,
    range = { start = at, ['end'] = at },
    context = { diagnostics = line_diags },
  }, 10000, bufnr)
  report.actions = {}
  local preferred
  for _, action in ipairs((actions and actions.result) or {}) do
    table.insert(report.actions, action.title)
    if action.isPreferred and preferred == nil then preferred = action end
  end
  if preferred ~= nil then
    local before = #publications
    vim.lsp.util.apply_workspace_edit(preferred.edit, 'utf-16')
    assert(vim.wait(timeout, function() return #publications > before end, 50),
      'no diagnostics after applying the quick fix')
    report.after_fix = collect(bufnr)
    report.after_fix_line = vim.api.nvim_buf_get_lines(bufnr, first.lnum, first.lnum + 1,
      false)[1]
  end
  vim.lsp.stop_client(client_id)
end)
if not ok then
  table.insert(report.errors, tostring(err))
end
finish()
