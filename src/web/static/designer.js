// Service designer enhancements; every page works without this file.
// The address (slug) of a new service follows its Indonesian name until the admin edits it.
const source = document.querySelector('[data-slug-source]');
const target = document.querySelector('[data-slug-target]');
if (source && target) {
  let touched = target.value !== '';
  const slugOf = (text) =>
    text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '');
  target.addEventListener('input', () => {
    touched = target.value !== '';
  });
  source.addEventListener('input', () => {
    if (!touched) target.value = slugOf(source.value);
  });
}
