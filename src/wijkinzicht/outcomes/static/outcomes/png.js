// "Download PNG": draws the change model's SVG (styled by its own attributes) on a canvas at twice its
// size and saves it, in the browser, without any service outside the page.
(function () {
  "use strict";
  var button = document.getElementById("png-button");
  var figure = document.getElementById("cm-figure");
  if (!button || !figure || !window.XMLSerializer || !HTMLCanvasElement.prototype.toBlob) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    var svg = figure.querySelector("svg");
    var width = svg.viewBox.baseVal.width, height = svg.viewBox.baseVal.height;
    var text = new XMLSerializer().serializeToString(svg);
    var url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml;charset=utf-8" }));
    var image = new Image();
    image.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = width * 2;
      canvas.height = height * 2;
      var context = canvas.getContext("2d");
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      URL.revokeObjectURL(url);
      canvas.toBlob(function (blob) {
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = button.dataset.name;
        document.body.appendChild(link);
        link.click();
        link.remove();
      }, "image/png");
    };
    image.src = url;
  });
})();
