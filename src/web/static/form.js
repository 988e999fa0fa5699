/* Enhances src/catalog/pages/citizen-form.tsx: rules as in src/catalog/rules.ts (a hidden or blank
 * answer is absent; eq on a list means contains) and region selects filled from /api/v1/regions (the
 * "Choose" buttons return if that fails). Plain ES2017: no optional chaining. */
(() => {
  const parse = (text) => {
    try {
      return JSON.parse(text);
    } catch (_) {
      return undefined;
    }
  };
  const byId = (id) => (id ? document.getElementById(id) : null);
  const isHidden = (wrapper) => wrapper.closest('[data-field][hidden]') !== null;

  function read(wrapper) {
    // The wrapper's own controls, not those of fields nested in it.
    const controls = Array.from(wrapper.querySelectorAll('input, select, textarea')).filter(
      (el) => el.type !== 'hidden' && el.closest('[data-field]') === wrapper,
    );
    const checked = controls
      .filter((el) => el.checked && /radio|checkbox/.test(el.type))
      .map((el) => el.value);
    const first = controls[0];
    const text = first && first.type !== 'file' ? first.value.trim() : '';
    switch (wrapper.dataset.type) {
      case 'yesno':
        return checked.length ? checked[0] === 'true' : undefined;
      case 'multichoice':
      case 'file':
        return checked.length ? checked : undefined;
      case 'choice':
        return (first && first.tagName === 'SELECT' ? text : checked[0]) || undefined;
      case 'region':
        return controls
          .map((el) => el.value)
          .filter(Boolean)
          .pop();
      case 'number':
        return /^[+-]?\d+([.,]\d+)?$/.test(text) ? Number(text.replace(',', '.')) : undefined;
      default:
        return text || undefined;
    }
  }

  const equals = (answer, value) => (Array.isArray(answer) ? answer.includes(value) : answer === value);

  function test(rule, get) {
    if (!rule || typeof rule !== 'object') return true;
    if (rule.all !== undefined) return rule.all.every((r) => test(r, get));
    if (rule.any !== undefined) return rule.any.some((r) => test(r, get));
    if (rule.not !== undefined) return !test(rule.not, get);
    const answer = get(rule.field);
    const value = rule.value;
    if (rule.op === 'eq') return equals(answer, value);
    if (rule.op === 'neq') return !equals(answer, value);
    if (rule.op === 'in') {
      if (!Array.isArray(value) || answer === undefined) return false;
      return Array.isArray(answer) ? answer.some((a) => value.includes(a)) : value.includes(answer);
    }
    const kind = typeof answer;
    if (kind !== typeof value || (kind !== 'number' && kind !== 'string')) return false;
    const sign = answer < value ? -1 : answer > value ? 1 : 0;
    return { gt: sign > 0, lt: sign < 0, gte: sign >= 0, lte: sign <= 0 }[rule.op] === true;
  }

  function setShown(wrapper, shown) {
    wrapper.hidden = !shown;
    for (const el of wrapper.querySelectorAll('input, select, textarea, button')) {
      if (!shown && !el.disabled) {
        el.disabled = true;
        el.dataset.gOff = '1';
      } else if (shown && el.dataset.gOff) {
        el.disabled = false;
        delete el.dataset.gOff;
      }
    }
  }

  function update(root) {
    const outside = parse(root.dataset.answers || '{}') || {};
    const shown = [];
    for (const wrapper of root.querySelectorAll('[data-field]')) {
      const item = wrapper.closest('[data-group-item]');
      const get = (key) => {
        const selector = `[data-field="${key}"]`;
        const found = (item ? item.querySelector(selector) : null) || root.querySelector(selector);
        if (!found) return outside[key];
        return isHidden(found) ? undefined : read(found);
      };
      const { visibleWhen, requiredWhen } = wrapper.dataset;
      if (visibleWhen) setShown(wrapper, test(parse(visibleWhen), get));
      const marker = requiredWhen ? wrapper.querySelector('[data-required-marker]') : null;
      if (marker) marker.hidden = !test(parse(requiredWhen), get);
      if (isHidden(wrapper)) continue;
      const group = item ? item.closest('[data-field]') : null;
      const key = group ? `${group.dataset.field}.${wrapper.dataset.field}` : wrapper.dataset.field;
      if (!shown.includes(key)) shown.push(key);
    }
    const seen = root.querySelector('input[name="_visible"]');
    if (seen) seen.value = shown.join(',');
  }

  function clear(select) {
    while (select.options.length > 1) select.remove(1);
    if (select.dataset.placeholderWaiting) select.options[0].text = select.dataset.placeholderWaiting;
    select.value = '';
    select.disabled = true;
  }

  async function cascade(select, root) {
    const next = byId(select.dataset.regionNext);
    for (let s = next; s; s = byId(s.dataset.regionNext)) clear(s);
    const parent = select.value;
    if (!parent || !next) return;
    try {
      const response = await fetch(`/api/v1/regions?parent=${encodeURIComponent(parent)}`, {
        headers: { accept: 'application/json' },
      });
      if (!response.ok) throw new Error(`regions ${response.status}`);
      const body = await response.json();
      if (select.value !== parent) return;
      for (const region of body.items) next.add(new Option(region.name, region.code));
      if (next.dataset.placeholderReady) next.options[0].text = next.dataset.placeholderReady;
      next.disabled = false;
    } catch (_) {
      const button = select.parentElement.querySelector('[data-region-refresh]');
      if (button) button.hidden = false;
    }
    update(root);
  }

  for (const root of document.querySelectorAll('[data-g-form]')) {
    for (const button of root.querySelectorAll('[data-region-refresh]')) button.hidden = true;
    root.addEventListener('input', () => update(root));
    root.addEventListener('change', (event) => {
      if (event.target.matches('select[data-region-next]')) cascade(event.target, root);
      update(root);
    });
    update(root);
  }
})();
