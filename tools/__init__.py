"""Developer tools: build the notebooks, draw the images, copy screenshots."""
