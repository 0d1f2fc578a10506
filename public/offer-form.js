// Choosing a profile in the offer form sets the demand checkboxes to that profile's preset
// (data-preset on each option, from the server's profile table); boxes changed afterwards are sent
// as they are and recorded as overrides.
(function () {
  'use strict';
  var select = document.getElementById('profile');
  if (!select) return;
  select.addEventListener('change', function () {
    var option = select.options[select.selectedIndex];
    var preset;
    try {
      preset = JSON.parse(option.getAttribute('data-preset') || '{}');
    } catch (error) {
      return;
    }
    Object.keys(preset).forEach(function (name) {
      var box = document.getElementById(name);
      if (box && box.type === 'checkbox') box.checked = preset[name] === true;
    });
  });
})();
