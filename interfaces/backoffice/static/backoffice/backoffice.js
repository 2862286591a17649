'use strict';
// The back office's small helpers: the Buddhist-year reading beside date inputs, and the weekly
// opening-hours editor (add, remove, copy the previous day). The server checks everything again.
{
  // "2026-11-29" -> "29 พฤศจิกายน 2569"
  function buddhistReading(iso, months) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    if (!match) return '';
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (month < 1 || month > 12 || day < 1 || day > 31) return '';
    return `${day} ${months[month - 1]} ${year + 543}`;
  }

  function updateReading(input) {
    const reading = document.querySelector(`[data-be-reading-for="${input.id}"]`);
    if (reading) reading.textContent = buddhistReading(input.value, JSON.parse(reading.dataset.months));
  }

  function refresh(row) {
    const closed = row.querySelector('.weekly-hours__closed');
    closed.hidden = row.querySelector('.weekly-hours__intervals').children.length > 0;
  }

  function addInterval(row, start = '', end = '') {
    const editor = row.closest('[data-weekly-hours]');
    const item = editor.querySelector('template.weekly-hours__template').content.firstElementChild.cloneNode(true);
    const dayName = row.dataset.dayName;
    for (const input of item.querySelectorAll('input')) {
      input.name = `${editor.dataset.name}_${row.dataset.day}_${input.dataset.part}`;
      input.setAttribute('aria-label', `${dayName} ${input.dataset.label}`);
      input.value = input.dataset.part === 'from' ? start : end;
    }
    const remove = item.querySelector('.weekly-hours__remove');
    remove.setAttribute('aria-label', `${remove.dataset.label} ${dayName}`);
    row.querySelector('.weekly-hours__intervals').append(item);
    refresh(row);
    return item;
  }

  function copyPrevious(row) {
    const previous = row.previousElementSibling;
    row.querySelector('.weekly-hours__intervals').replaceChildren();
    for (const item of previous.querySelectorAll('.weekly-hours__interval')) {
      const [start, end] = item.querySelectorAll('input');
      addInterval(row, start.value, end.value);
    }
    refresh(row);
  }

  document.addEventListener('click', (event) => {
    const button = event.target.closest('.weekly-hours__add, .weekly-hours__remove, .weekly-hours__copy');
    if (!button) return;
    const row = button.closest('.weekly-hours__day');
    if (button.classList.contains('weekly-hours__add')) {
      addInterval(row).querySelector('input').focus();
    } else if (button.classList.contains('weekly-hours__remove')) {
      button.closest('.weekly-hours__interval').remove();
      refresh(row);
      row.querySelector('.weekly-hours__add').focus();
    } else {
      copyPrevious(row);
    }
  });

  document.addEventListener('input', (event) => {
    if (event.target.matches('input[type="date"]')) updateReading(event.target);
  });
  document.addEventListener('change', (event) => {
    if (event.target.matches('input[type="date"]')) updateReading(event.target);
  });
}
